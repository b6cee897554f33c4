package io.spaghetti.sdk.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a CDN in front of a page needs: hashed names cached as immutable, the page revalidated with a 304. */
public final class CdnChecks {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private CdnChecks() {
    }

    /**
     * The page at {@code base + page} links to {@code script} under a content-hashed name: the page revalidates
     * (no-cache + ETag, 304 on If-None-Match), the hashed script is immutable for a year (and 304 too).
     */
    public static void assertCdnCacheable(String base, String page, String script) throws Exception {
        HttpResponse<String> html = get(base + page, null);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String pageTag = html.headers().firstValue("ETag").orElseThrow();
        assertThat(get(base + page, pageTag).statusCode()).as("revalidating the page").isEqualTo(304);

        int dot = script.lastIndexOf('.');
        Matcher hashed = Pattern.compile(Pattern.quote(script.substring(0, dot)) + "\\.[0-9a-f]{12}"
                + Pattern.quote(script.substring(dot))).matcher(html.body());
        assertThat(hashed.find()).as("the page links to the hashed name of " + script).isTrue();
        HttpResponse<String> js = get(base + hashed.group(), null);
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
        String scriptTag = js.headers().firstValue("ETag").orElseThrow();
        assertThat(get(base + hashed.group(), scriptTag).statusCode()).isEqualTo(304);
        assertThat(get(base + hashed.group(), "\"something-else\"").statusCode()).isEqualTo(200);
        assertThat(get(base + script, null).headers().firstValue("Cache-Control")).as("the unhashed name")
                .hasValue("no-cache");
    }

    private static HttpResponse<String> get(String url, String ifNoneMatch) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
