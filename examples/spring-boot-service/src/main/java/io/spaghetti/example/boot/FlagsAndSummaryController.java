package io.spaghetti.example.boot;

import io.spaghetti.sdk.core.ai.AiAnswer;
import io.spaghetti.sdk.core.ai.AiCache;
import io.spaghetti.sdk.core.ai.AiMetrics;
import io.spaghetti.sdk.core.ai.AiRequest;
import io.spaghetti.sdk.flags.FlagContext;
import io.spaghetti.sdk.flags.FlagEvaluation;
import io.spaghetti.sdk.flags.Flags;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code GET /flags?user=u&groups=g1,g2}: each platform flag's evaluation; {@code POST /ai/summarize}: a stand-in
 * for an AI provider call (the first sentence), instrumented as a real one would be.
 */
@RestController
class FlagsAndSummaryController {
    private final Flags flags;
    private final AiMetrics ai;
    private final AiCache answers;

    FlagsAndSummaryController(Flags flags, AiMetrics ai, AiCache answers) {
        this.flags = flags;
        this.ai = ai;
        this.answers = answers;
        ai.queueLength(() -> 0);
    }

    @GetMapping("/flags")
    Map<String, FlagEvaluation> flags(
            @RequestParam(required = false) @Pattern(regexp = Ids.ID, message = Ids.ID_RULE) String user,
            @RequestParam(defaultValue = "") @Pattern(regexp = "([A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,19})?",
                    message = "must be up to 20 group names separated by commas") String groups) {
        FlagContext.Builder context = FlagContext.builder().userId(user);
        for (String g : groups.split(",")) {
            if (!g.isEmpty()) {
                context.group(g);
            }
        }
        FlagContext built = context.build();
        Map<String, FlagEvaluation> out = new LinkedHashMap<>();
        for (String flag : new TreeSet<>(flags.knownFlags())) {
            out.put(flag, flags.evaluate(flag, built));
        }
        return out;
    }

    @PostMapping(path = "/ai/summarize", consumes = MediaType.TEXT_PLAIN_VALUE, produces = MediaType.TEXT_PLAIN_VALUE)
    String summarize(@RequestBody @Size(max = 20_000) String text) {
        long t0 = System.nanoTime();
        if (text.isBlank()) {
            ai.recordError("local-stub", "first-sentence", "bad_request", Duration.ofNanos(System.nanoTime() - t0));
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "POST the text to summarize");
        }
        // Through the AI cache: the same text again (on any instance) is answered without calling the "provider".
        AiAnswer answer = answers.answer(AiRequest.of("local-stub", "first-sentence", text.strip()), request -> {
            String summary = request.prompt().split("(?<=[.!?])\\s", 2)[0];
            ai.recordCall("local-stub", "first-sentence", Duration.ofNanos(System.nanoTime() - t0),
                    request.prompt().length() / 4, summary.length() / 4, 0.0);
            return new AiAnswer(summary, request.prompt().length() / 4, summary.length() / 4, 0.0);
        });
        return answer.text() + "\n";
    }
}
