package io.spaghetti.sdk.signalr.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** Both hub protocols, byte by byte as HubProtocol.md lays them out. */
class HubCodecTest {
    private static final byte RS = 0x1E;

    private static byte[] json(String... messages) {
        StringBuilder b = new StringBuilder();
        for (String m : messages) {
            b.append(m).append((char) RS);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jsonReadsEveryMessageOfABatch() {
        List<HubMessage> read = JsonHubCodec.INSTANCE.read(json(
                "{\"type\":1,\"invocationId\":\"1\",\"target\":\"Send\",\"arguments\":[42,\"x\"],\"streamIds\":[\"2\"]}",
                "{\"type\":4,\"invocationId\":\"3\",\"target\":\"Counter\",\"arguments\":[]}",
                "{\"type\":2,\"invocationId\":\"2\",\"item\":{\"a\":1}}",
                "{\"type\":3,\"invocationId\":\"9\",\"result\":null}",
                "{\"type\":3,\"invocationId\":\"8\"}",
                "{\"type\":5,\"invocationId\":\"3\"}", "{\"type\":6}", "{\"type\":8,\"sequenceId\":12}",
                "{\"type\":9,\"sequenceId\":4}"), 32768);
        assertThat(read).hasSize(9);
        HubMessage.Invocation inv = (HubMessage.Invocation) read.get(0);
        assertThat(inv.target()).isEqualTo("Send");
        assertThat(inv.arguments()).hasToString("[42, \"x\"]");
        assertThat(inv.streamIds()).containsExactly("2");
        assertThat(((HubMessage.Invocation) read.get(1)).stream()).isTrue();
        assertThat(((HubMessage.Completion) read.get(3)).hasResult()).isTrue();
        assertThat(((HubMessage.Completion) read.get(4)).hasResult()).isFalse();
        assertThat(((HubMessage.Ack) read.get(7)).sequenceId()).isEqualTo(12);
    }

    @Test
    void jsonWritesTheFieldsTheClientExpects() {
        assertThat(new String(JsonHubCodec.INSTANCE.write(HubMessage.Completion.ofResult("1", Map.of("k", 1))),
                StandardCharsets.UTF_8)).isEqualTo("{\"type\":3,\"invocationId\":\"1\",\"result\":{\"k\":1}}\u001e");
        assertThat(new String(JsonHubCodec.INSTANCE.write(HubMessage.Completion.empty("2")), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":3,\"invocationId\":\"2\"}\u001e");
        assertThat(new String(JsonHubCodec.INSTANCE.write(new HubMessage.Close("bye", true)), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":7,\"error\":\"bye\",\"allowReconnect\":true}\u001e");
        assertThat(new String(JsonHubCodec.INSTANCE.write(new HubMessage.ClientInvocation(null, "T", List.of(1))),
                StandardCharsets.UTF_8)).isEqualTo("{\"type\":1,\"target\":\"T\",\"arguments\":[1]}\u001e");
    }

    @Test
    void jsonRefusesWhatBreaksTheProtocolWithTheReason() {
        assertThatThrownBy(() -> JsonHubCodec.INSTANCE.read("{\"type\":6}".getBytes(StandardCharsets.UTF_8), 100))
                .hasMessageContaining("record separator");
        assertThatThrownBy(() -> JsonHubCodec.INSTANCE.read(json("{\"type\":1,\"arguments\":[]}"), 100))
                .hasMessageContaining("'target' is missing");
        assertThatThrownBy(() -> JsonHubCodec.INSTANCE.read(json("[1]"), 100)).hasMessageContaining("integer 'type'");
        assertThatThrownBy(() -> JsonHubCodec.INSTANCE.read(json("{\"type\":6,\"pad\":\"" + "x".repeat(200) + "\"}"), 100))
                .hasMessageContaining("exceeds the server's limit of 100 bytes");
    }

    @Test
    void messagePackReadsInvocationsAndCompletionsAndWritesVarIntFramedArrays() throws Exception {
        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(6).packInt(1).packMapHeader(0).packString("7").packString("Add").packArrayHeader(2)
                .packInt(2).packInt(3).packArrayHeader(0);
        byte[] body = p.toByteArray();
        byte[] framed = MessagePackHubCodec.lengthPrefixed(body);
        MessageBufferPacker c = MessagePack.newDefaultBufferPacker();
        c.packArrayHeader(4).packInt(3).packMapHeader(0).packString("8").packInt(2);
        byte[] both = concat(framed, MessagePackHubCodec.lengthPrefixed(c.toByteArray()));

        List<HubMessage> read = MessagePackHubCodec.INSTANCE.read(both, 32768);
        HubMessage.Invocation inv = (HubMessage.Invocation) read.get(0);
        assertThat(inv.invocationId()).isEqualTo("7");
        assertThat(inv.arguments()).hasToString("[2, 3]");
        assertThat(((HubMessage.Completion) read.get(1)).hasResult()).isFalse();

        byte[] written = MessagePackHubCodec.INSTANCE.write(HubMessage.Completion.ofResult("7", 5));
        assertThat(written[0]).as("VarInt length").isEqualTo((byte) (written.length - 1));
        assertThat(Arrays.copyOfRange(written, 1, written.length))
                .isEqualTo(new byte[] {(byte) 0x95, 3, (byte) 0x80, (byte) 0xA1, '7', 3, 5});
        assertThat(MessagePackHubCodec.INSTANCE.write(new HubMessage.Ping())).isEqualTo(new byte[] {2, (byte) 0x91, 6});
    }

    @Test
    void bothProtocolsReadTheInvocationHeadersAClientSendsItsTraceContextIn() throws Exception {
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        HubMessage.Invocation json = (HubMessage.Invocation) JsonHubCodec.INSTANCE.read(json(
                "{\"type\":1,\"headers\":{\"traceparent\":\"" + traceparent + "\",\"n\":1},\"target\":\"Send\","
                        + "\"arguments\":[]}"), 1000).get(0);
        assertThat(json.headers()).containsExactly(Map.entry("traceparent", traceparent));

        MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
        p.packArrayHeader(5).packInt(1).packMapHeader(1).packString("traceparent").packString(traceparent)
                .packNil().packString("Send").packArrayHeader(0);
        HubMessage.Invocation packed = (HubMessage.Invocation) MessagePackHubCodec.INSTANCE
                .read(MessagePackHubCodec.lengthPrefixed(p.toByteArray()), 1000).get(0);
        assertThat(packed.headers()).containsExactly(Map.entry("traceparent", traceparent));
    }

    @Test
    void messagePackLengthPrefixesSpanSeveralBytesAndAreChecked() {
        byte[] big = MessagePackHubCodec.lengthPrefixed(new byte[300]);
        assertThat(Arrays.copyOf(big, 2)).isEqualTo(new byte[] {(byte) 0xAC, 0x02});
        assertThatThrownBy(() -> MessagePackHubCodec.INSTANCE.read(new byte[] {10, (byte) 0x91}, 100))
                .hasMessageContaining("the prefix says 10 bytes, 1 follow");
        assertThatThrownBy(() -> MessagePackHubCodec.INSTANCE.read(big, 100)).hasMessageContaining("limit of 100");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
