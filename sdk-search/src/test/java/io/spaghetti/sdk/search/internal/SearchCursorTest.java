package io.spaghetti.sdk.search.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.FieldValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class SearchCursorTest {
    @Test
    void theValuesComeBackWithTheirKinds() {
        List<FieldValue> values = List.of(FieldValue.of(1.25), FieldValue.of("doc-7"), FieldValue.of(42L),
                FieldValue.of(true), FieldValue.NULL);
        String cursor = SearchCursor.encode(values);
        assertThat(cursor).matches("[A-Za-z0-9_-]+");
        List<FieldValue> back = SearchCursor.decode(cursor);
        assertThat(back).extracting(FieldValue::_kind).containsExactly(FieldValue.Kind.Double, FieldValue.Kind.String,
                FieldValue.Kind.Long, FieldValue.Kind.Boolean, FieldValue.Kind.Null);
        assertThat(back.get(0).doubleValue()).isEqualTo(1.25);
        assertThat(back.get(1).stringValue()).isEqualTo("doc-7");
        assertThat(back.get(2).longValue()).isEqualTo(42L);
    }

    @Test
    void textThatIsNotACursorIsAClearError() {
        for (String bad : List.of("not a cursor!", "", "W10", "eyJhIjoxfQ")) {
            assertThatThrownBy(() -> SearchCursor.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("pass SearchPage.nextCursor()");
        }
    }
}
