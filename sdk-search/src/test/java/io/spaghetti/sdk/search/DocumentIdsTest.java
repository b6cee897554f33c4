package io.spaghetti.sdk.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DocumentIdsTest {
    private static SearchDocument doc(String tenant, String id) {
        return new SearchDocument(id, tenant, "t", "b", "a", List.of(), "en", "draft", Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void theReportedCollisionNoLongerCollides() {
        assertThat(doc("vic6:p", "q").storageId()).isNotEqualTo(doc("vic6", "p:q").storageId());
        assertThat(doc("acme", "d1").storageId()).isEqualTo("acme:d1");
    }

    @Test
    void noTwoTenantIdPairsShareAStorageId() {
        // Every pair over an alphabet of the escaping's special characters, exhaustively up to length 3 each.
        List<String> words = words("a:%3A", 3);
        Map<String, String> seen = new HashMap<>();
        for (String tenant : words) {
            if (tenant.isBlank()) {
                continue;
            }
            for (String id : words) {
                if (id.isBlank()) {
                    continue;
                }
                String previous = seen.put(doc(tenant, id).storageId(), tenant + " / " + id);
                assertThat(previous).as("storage id of %s / %s", tenant, id).isNull();
            }
        }
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            String tenant = random(random, "ab:%", 1 + random.nextInt(8));
            String id = random(random, "ab:%", 1 + random.nextInt(8));
            String previous = seen.put(doc(tenant, id).storageId(), tenant + " / " + id);
            assertThat(previous == null || previous.equals(tenant + " / " + id)).as("%s / %s vs %s", tenant, id, previous)
                    .isTrue();
        }
    }

    @Test
    void badTenantsAndIdsAreRefusedWithTheFix() {
        assertThatThrownBy(() -> doc("", "x")).hasMessageContaining("tenant id is required");
        assertThatThrownBy(() -> doc("acme", " ")).hasMessageContaining("document id is required");
        assertThatThrownBy(() -> doc("acme", null)).hasMessageContaining("document id is required");
        assertThatThrownBy(() -> doc("ac\nme", "x")).hasMessageContaining("control character at position 2");
        assertThatThrownBy(() -> doc("acme", "x\u0000")).hasMessageContaining("control character");
        assertThatThrownBy(() -> doc("t".repeat(129), "x")).hasMessageContaining("more than the 128 allowed");
        assertThatThrownBy(() -> doc("acme", "i".repeat(257))).hasMessageContaining("more than the 256 allowed");
        assertThatThrownBy(() -> doc(":".repeat(128), "é".repeat(200))).hasMessageContaining("512 bytes");
    }

    private static List<String> words(String alphabet, int maxLength) {
        List<String> out = new java.util.ArrayList<>(List.of(""));
        List<String> frontier = List.of("");
        for (int len = 1; len <= maxLength; len++) {
            List<String> next = new java.util.ArrayList<>();
            for (String w : frontier) {
                for (char c : alphabet.toCharArray()) {
                    next.add(w + c);
                }
            }
            out.addAll(next);
            frontier = next;
        }
        return out;
    }

    private static String random(Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
