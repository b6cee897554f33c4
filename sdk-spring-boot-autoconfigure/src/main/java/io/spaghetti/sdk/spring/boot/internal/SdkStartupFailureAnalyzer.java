package io.spaghetti.sdk.spring.boot.internal;

import io.spaghetti.sdk.core.SdkStartupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A required module that could not start: its reason and fix, without the stack trace. */
public final class SdkStartupFailureAnalyzer extends AbstractFailureAnalyzer<SdkStartupException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SdkStartupException cause) {
        String message = cause.getMessage();
        int fix = message.indexOf(" Fix ");
        return fix < 0
                ? new FailureAnalysis(message, "See the module's section in the README.", cause)
                : new FailureAnalysis(message.substring(0, fix), message.substring(fix + 1), cause);
    }
}
