package io.spaghetti.sdk.signalr;

/** An HTTP answer to write as it is: status, content type and body. */
public record HubHttpResponse(int status, String contentType, String body) {
}
