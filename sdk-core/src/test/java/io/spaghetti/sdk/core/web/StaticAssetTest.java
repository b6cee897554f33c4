package io.spaghetti.sdk.core.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StaticAssetTest {
    private static StaticAsset asset(String path, String text) {
        return StaticAsset.of(path, "text/javascript", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theContentHashNamesAndValidatesTheAsset() {
        StaticAsset v1 = asset("/collab/signalr.min.js", "one");
        StaticAsset v2 = asset("/collab/signalr.min.js", "two");
        assertThat(v1.hashedPath()).matches("/collab/signalr\\.min\\.[0-9a-f]{12}\\.js");
        assertThat(v1.hashedPath()).isNotEqualTo(v2.hashedPath());
        assertThat(v1.hashedPath()).isEqualTo(asset("/collab/signalr.min.js", "one").hashedPath());
        assertThat(v1.etag()).startsWith("\"").endsWith("\"").isNotEqualTo(v2.etag());
        assertThat(asset("/collab/page", "x").hashedPath()).matches("/collab/page\\.[0-9a-f]{12}");
    }

    @Test
    void ifNoneMatchIsA304OnlyForThisContent() {
        StaticAsset a = asset("/a.js", "one");
        assertThat(a.notModifiedFor(a.etag())).isTrue();
        assertThat(a.notModifiedFor("\"other\", " + a.etag())).isTrue();
        assertThat(a.notModifiedFor("W/" + a.etag())).isTrue();
        assertThat(a.notModifiedFor("*")).isTrue();
        assertThat(a.notModifiedFor(asset("/a.js", "two").etag())).isFalse();
        assertThat(a.notModifiedFor(null)).isFalse();
        assertThat(a.notModifiedFor("")).isFalse();
    }

    @Test
    void aPageLinksToTheHashedNameOfWhatItLoads() {
        StaticAsset script = asset("/collab/signalr.min.js", "code");
        StaticAsset page = StaticAsset.of("/collab", "text/html", "<script src=\"/collab/signalr.min.js\"></script>"
                .getBytes(StandardCharsets.UTF_8)).linking(script);
        assertThat(new String(page.content(), StandardCharsets.UTF_8)).contains(script.hashedPath())
                .doesNotContain("\"/collab/signalr.min.js\"");
    }

    @Test
    void aPathMustBeAbsolute() {
        assertThatThrownBy(() -> asset("a.js", "x")).hasMessageContaining("starts with '/'");
    }
}
