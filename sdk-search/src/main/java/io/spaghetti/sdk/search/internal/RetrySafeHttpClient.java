package io.spaghetti.sdk.search.internal;

import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.HeaderMap;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.transport.rest_client.RestClientHttpClient;
import co.elastic.clients.transport.rest_client.RestClientOptions;
import co.elastic.clients.util.BinaryData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.http.Header;
import org.apache.http.HeaderElement;
import org.apache.http.HttpEntity;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Cancellable;
import org.elasticsearch.client.RequestOptions;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;

/**
 * {@link RestClientHttpClient} with a request body the low-level client can resend safely.
 *
 * <p>The stock client wraps a body in one stateful {@code MultiBufferEntity}; when a node dies mid-request the
 * low-level client retries on the next node with that same half-consumed entity, so the next node receives the
 * tail of the body (a whole bulk rejected as "Malformed action/metadata line", seen in NodeFailureIT). Here each
 * body is a {@link ByteArrayEntity}: not an async content producer, so every attempt streams it through a producer
 * of its own; and with a Content-Length instead of one HTTP chunk per NDJSON line.
 */
final class RetrySafeHttpClient extends RestClientHttpClient {
    /** The low-level client answers these itself instead of throwing, as the stock client asks it to. */
    private static final String IGNORED_STATUSES = "400,401,403,404,405";

    RetrySafeHttpClient(RestClient restClient) {
        super(restClient);
    }

    @Override
    public Response performRequest(String endpointId, Node node, Request request, TransportOptions options)
            throws IOException {
        return new RestResponse(restClient().performRequest(lowLevelRequest(request, createOptions(options))));
    }

    @Override
    public CompletableFuture<Response> performRequestAsync(String endpointId, Node node, Request request,
            TransportOptions options) {
        CancellableFuture future = new CancellableFuture();
        org.elasticsearch.client.Request lowLevel;
        try {
            lowLevel = lowLevelRequest(request, createOptions(options));
        } catch (RuntimeException e) {
            future.completeExceptionally(e);
            return future;
        }
        future.cancellable = restClient().performRequestAsync(lowLevel, new ResponseListener() {
            @Override
            public void onSuccess(org.elasticsearch.client.Response response) {
                future.complete(new RestResponse(response));
            }

            @Override
            public void onFailure(Exception exception) {
                future.completeExceptionally(exception);
            }
        });
        return future;
    }

    static org.elasticsearch.client.Request lowLevelRequest(Request request, RestClientOptions options) {
        org.elasticsearch.client.Request lowLevel = new org.elasticsearch.client.Request(request.method(),
                request.path());
        RequestOptions.Builder requestOptions = options.restClientRequestOptions().toBuilder();
        // the options' own headers win over the transport's defaults, as in the stock client
        request.headers().forEach((name, value) -> {
            if (requestOptions.getHeaders().stream().noneMatch(h -> h.getName().equalsIgnoreCase(name))) {
                requestOptions.addHeader(name, value);
            }
        });
        lowLevel.setOptions(requestOptions);
        lowLevel.addParameters(request.queryParams());
        lowLevel.addParameter("ignore", IGNORED_STATUSES);
        if (request.body() != null) {
            String contentType = request.headers().get(HeaderMap.CONTENT_TYPE);
            lowLevel.setEntity(new ByteArrayEntity(concat(request.body()),
                    contentType == null ? null : ContentType.parse(contentType)));
        }
        return lowLevel;
    }

    private static byte[] concat(Iterable<ByteBuffer> buffers) {
        int size = 0;
        for (ByteBuffer b : buffers) {
            size += b.remaining();
        }
        byte[] out = new byte[size];
        int at = 0;
        for (ByteBuffer b : buffers) {
            int n = b.remaining();
            b.duplicate().get(out, at, n);
            at += n;
        }
        return out;
    }

    private static final class CancellableFuture extends CompletableFuture<Response> {
        private volatile Cancellable cancellable;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled && cancellable != null) {
                cancellable.cancel();
            }
            return cancelled;
        }
    }

    private static final class RestResponse implements Response {
        private final org.elasticsearch.client.Response response;

        RestResponse(org.elasticsearch.client.Response response) {
            this.response = response;
        }

        @Override
        public Node node() {
            return new Node(response.getHost().toURI());
        }

        @Override
        public int statusCode() {
            return response.getStatusLine().getStatusCode();
        }

        @Override
        public String header(String name) {
            return response.getHeader(name);
        }

        @Override
        public List<String> headers(String name) {
            for (Header header : response.getHeaders()) {
                if (header.getName().equalsIgnoreCase(name)) {
                    return Arrays.stream(header.getElements()).map(HeaderElement::getValue).toList();
                }
            }
            return List.of();
        }

        @Override
        public BinaryData body() throws IOException {
            HttpEntity entity = response.getEntity();
            if (entity == null) {
                return null;
            }
            Header type = entity.getContentType();
            return BinaryData.of(EntityUtils.toByteArray(entity),
                    type == null ? "application/octet-stream" : type.getValue());
        }

        @Override
        public Object originalResponse() {
            return response;
        }

        @Override
        public void close() throws IOException {
            EntityUtils.consume(response.getEntity());
        }
    }
}
