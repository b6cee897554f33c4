package io.spaghetti.example.boot;

import io.spaghetti.sdk.crypto.CryptoException;
import io.spaghetti.sdk.search.SearchAccessException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal as RFC 9457 problem details whose {@code detail} names what was wrong and how to send it right;
 * never a stack trace, never the rejected value of a personal field.
 */
@RestControllerAdvice
class BadRequests extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(BadRequests.class);

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (BodyLimit.exceeded(ex)) {
            return problem(HttpStatus.CONTENT_TOO_LARGE, BodyLimit.MESSAGE);
        }
        String reason = ex.getMostSpecificCause() == ex ? "it is empty or unreadable"
                : firstLine(ex.getMostSpecificCause().getMessage());
        return problem(HttpStatus.BAD_REQUEST, "The request body is missing or not what this endpoint takes: " + reason);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request body: " + ex.getBindingResult().getFieldErrors().stream()
                .map(e -> e.getField() + " " + e.getDefaultMessage()).sorted().collect(Collectors.joining("; ")));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request: " + ex.getParameterValidationResults().stream()
                .flatMap(r -> r instanceof ParameterErrors body
                        ? body.getFieldErrors().stream().map(e -> e.getField() + " " + e.getDefaultMessage())
                        : r.getResolvableErrors().stream().map(e -> name(r.getMethodParameter().getParameterName(), r)
                                + " " + e.getDefaultMessage()))
                .sorted().collect(Collectors.joining("; ")));
    }

    @ExceptionHandler(ModuleUnavailableException.class)
    ResponseEntity<Object> unavailable(ModuleUnavailableException e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "The " + e.module() + " module is not available: " + e.getMessage());
    }

    @ExceptionHandler(SearchAccessException.class)
    ResponseEntity<Object> search(SearchAccessException e) {
        log.warn("search request failed: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Search did not answer: " + firstLine(e.getMessage()));
    }

    @ExceptionHandler(CryptoException.class)
    ResponseEntity<Object> crypto(CryptoException e) {
        log.warn("crypto request failed: {}", e.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Field encryption is not available: " + firstLine(e.getMessage()));
    }

    private static String name(String parameter, org.springframework.validation.method.ParameterValidationResult r) {
        return parameter != null ? parameter : "argument " + r.getMethodParameter().getParameterIndex();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        String line = message.lines().findFirst().orElse("");
        // Parser messages quote the offending token: keep them short, a body may hold personal data.
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
