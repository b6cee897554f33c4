package io.spaghetti.sdk.backplane.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spaghetti.sdk.backplane.BackplaneException;
import io.spaghetti.sdk.backplane.HubInvocation;
import io.spaghetti.sdk.backplane.internal.WireFormat.Completion;
import io.spaghetti.sdk.backplane.internal.WireFormat.GroupCommand;
import io.spaghetti.sdk.backplane.internal.WireFormat.Invocation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every backplane message, byte by byte, as ../shared/specs/signalr-redis-backplane.md describes it. */
class WireFormatTest {
    private static final String JSON_FRAME = "{\"type\":1,\"target\":\"ReceiveMessage\",\"arguments\":[\"hello\"]}";

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] jsonFrame() {
        return concat(ascii(JSON_FRAME), hex("1e"));
    }

    /** array(6) [1, {} , nil, "ReceiveMessage", ["hello"], []] behind its VarInt length (27). */
    private static byte[] messagePackFrame() {
        return concat(hex("1b 96 01 80 c0 ae"), ascii("ReceiveMessage"), hex("91 a5"), ascii("hello"), hex("90"));
    }

    @Test
    void jsonInvocationFrameHasTheSpecKeysInOrderAndTheRecordSeparator() {
        assertThat(HubProtocol.JSON.invocation(Map.of(), null, "ReceiveMessage", List.of("hello")))
                .isEqualTo(jsonFrame());
    }

    @Test
    void jsonInvocationWithHeadersAndInvocationIdPutsThemBetweenTypeAndTarget() {
        byte[] frame = HubProtocol.JSON.invocation(Map.of("h", "v"), "abc", "T", List.of(1));
        assertThat(new String(frame, StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":1,\"headers\":{\"h\":\"v\"},\"invocationId\":\"abc\",\"target\":\"T\",\"arguments\":[1]}\u001e");
    }

    @Test
    void javaTimeArgumentsAreIsoStringsInBothProtocols() {
        java.time.Instant at = java.time.Instant.parse("2026-12-01T10:00:00Z");
        byte[] json = HubProtocol.JSON.invocation(Map.of(), null, "T", List.of(Map.of("at", at)));
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"arguments\":[{\"at\":\"2026-12-01T10:00:00Z\"}]");
        byte[] msgpack = HubProtocol.MESSAGEPACK.invocation(Map.of(), null, "T", List.of(at));
        assertThat(new String(msgpack, StandardCharsets.ISO_8859_1)).contains("2026-12-01T10:00:00Z");
    }

    @Test
    void messagePackInvocationFrameIsLengthPrefixedArrayOfSix() {
        assertThat(HubProtocol.MESSAGEPACK.invocation(Map.of(), null, "ReceiveMessage", List.of("hello")))
                .isEqualTo(messagePackFrame());
    }

    @Test
    void invocationWithoutExclusionsOneProtocol() {
        byte[] frame = jsonFrame();
        byte[] expected = concat(hex("92 90 81 a4"), ascii("json"), hex("c4"), new byte[] {(byte) frame.length}, frame);
        byte[] written = WireFormat.writeInvocation(new Invocation(List.of(), Map.of("json", frame), null, null));
        assertThat(written).isEqualTo(expected);
        Invocation read = WireFormat.readInvocation(expected);
        assertThat(read.excluded()).isEmpty();
        assertThat(read.frames().get("json")).isEqualTo(frame);
        assertThat(read.invocationId()).isNull();
    }

    @Test
    void invocationWithExclusionsAndTwoProtocolsKeepsTheProtocolOrder() {
        Map<String, byte[]> frames = new LinkedHashMap<>();
        frames.put("json", jsonFrame());
        frames.put("messagepack", messagePackFrame());
        byte[] expected = concat(hex("92 92 a2"), ascii("c1"), hex("a2"), ascii("c2"), hex("82 a4"), ascii("json"),
                hex("c4"), new byte[] {(byte) jsonFrame().length}, jsonFrame(), hex("ab"), ascii("messagepack"),
                hex("c4 1c"), messagePackFrame());
        assertThat(WireFormat.writeInvocation(new Invocation(List.of("c1", "c2"), frames, null, null)))
                .isEqualTo(expected);
        Invocation read = WireFormat.readInvocation(expected);
        assertThat(read.excluded()).containsExactly("c1", "c2");
        assertThat(read.frames().keySet()).containsExactly("json", "messagepack");
        assertThat(HubProtocol.MESSAGEPACK.readInvocation(read.frames().get("messagepack")))
                .isEqualTo(new HubInvocation("ReceiveMessage",
                        List.of(com.fasterxml.jackson.databind.node.TextNode.valueOf("hello")), null, Map.of()));
    }

    @Test
    void invocationAwaitingAResultHasFourItems() {
        String id = "AAAAAAAAAAAAAAAAAAAAAA";
        // The return channel inside a message carries no channel prefix (the corrected spec).
        String ret = "Hub:internal:return:host_0123";
        byte[] expected = concat(hex("94 90 81 a4"), ascii("json"), hex("c4"), new byte[] {(byte) jsonFrame().length},
                jsonFrame(), hex("b6"), ascii(id), hex("bd"), ascii(ret));
        assertThat(WireFormat.writeInvocation(new Invocation(List.of(), Map.of("json", jsonFrame()), id, ret)))
                .isEqualTo(expected);
        Invocation read = WireFormat.readInvocation(expected);
        assertThat(read.invocationId()).isEqualTo(id);
        assertThat(read.returnChannel()).isEqualTo(ret);
    }

    @Test
    void readersIgnoreExtraItems() {
        byte[] withExtra = concat(hex("93 90 80 c0"));
        assertThat(WireFormat.readInvocation(withExtra).frames()).isEmpty();
        assertThat(WireFormat.readAck(hex("92 05 a1 78"))).isEqualTo(5);
    }

    @Test
    void groupCommand() {
        byte[] expected = concat(hex("95 01 a7"), ascii("srv_abc"), hex("01 a5"), ascii("doc-1"), hex("a6"),
                ascii("conn-1"));
        GroupCommand cmd = new GroupCommand(1, "srv_abc", WireFormat.GROUP_ADD, "doc-1", "conn-1");
        assertThat(WireFormat.writeGroupCommand(cmd)).isEqualTo(expected);
        assertThat(WireFormat.readGroupCommand(expected)).isEqualTo(cmd);
        assertThat(WireFormat.writeGroupCommand(new GroupCommand(200, "s", WireFormat.GROUP_REMOVE, "g", "c")))
                .isEqualTo(concat(hex("95 cc c8 a1"), ascii("s"), hex("02 a1"), ascii("g"), hex("a1"), ascii("c")));
    }

    @Test
    void ackUsesTheSmallestIntegerForm() {
        assertThat(WireFormat.writeAck(1)).isEqualTo(hex("91 01"));
        assertThat(WireFormat.writeAck(300)).isEqualTo(hex("91 cd 01 2c"));
        assertThat(WireFormat.writeAck(70_000)).isEqualTo(hex("91 ce 00 01 11 70"));
        assertThat(WireFormat.readAck(hex("91 cd 01 2c"))).isEqualTo(300);
    }

    @Test
    void completionWrapsTheProtocolsCompletionFrame() {
        byte[] frame = HubProtocol.JSON.completion("abc", 42, null);
        assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("{\"type\":3,\"invocationId\":\"abc\",\"result\":42}\u001e");
        byte[] expected = concat(hex("92 a4"), ascii("json"), hex("c4"), new byte[] {(byte) frame.length}, frame);
        assertThat(WireFormat.writeCompletion(new Completion("json", frame))).isEqualTo(expected);
        Completion read = WireFormat.readCompletion(expected);
        assertThat(read.protocol()).isEqualTo("json");
        assertThat(HubProtocol.JSON.readCompletion(read.frame()).result().asInt()).isEqualTo(42);

        byte[] error = HubProtocol.JSON.completion("abc", null, "Connection disconnected.");
        assertThat(new String(error, StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":3,\"invocationId\":\"abc\",\"error\":\"Connection disconnected.\"}\u001e");
        assertThat(HubProtocol.JSON.readCompletion(error).error()).isEqualTo("Connection disconnected.");
    }

    @Test
    void messagePackCompletionCarriesResultKind() {
        // [3, {}, "abc", 3 (non-void result), 42]
        assertThat(HubProtocol.MESSAGEPACK.completion("abc", 42, null))
                .isEqualTo(concat(hex("09 95 03 80 a3"), ascii("abc"), hex("03 2a")));
        HubProtocol.CompletionResult err = HubProtocol.MESSAGEPACK.readCompletion(
                HubProtocol.MESSAGEPACK.completion("abc", null, "boom"));
        assertThat(err.error()).isEqualTo("boom");
        assertThat(err.invocationId()).isEqualTo("abc");
    }

    @Test
    void longStringsUseStr8AndLongFramesAMultiByteVarInt() {
        String target = "x".repeat(40);
        byte[] frame = HubProtocol.MESSAGEPACK.invocation(Map.of(), null, target, List.of("y".repeat(200)));
        // body: 96 01 80 c0 d9 28 <40> 91 d9 c8 <200> 90 = 250 bytes: VarInt fa 01
        assertThat(frame).startsWith(hex("fa 01 96 01 80 c0 d9 28"));
        assertThat(frame).hasSize(252);
        assertThat(HubProtocol.MESSAGEPACK.readInvocation(frame).target()).isEqualTo(target);
    }

    @Test
    void latencyHeaderIsReadWithoutDecodingArguments() {
        for (HubProtocol p : HubProtocol.values()) {
            byte[] frame = p.invocation(Map.of(RedisHub.LATENCY_HEADER, "123"), null, "T", List.of(Map.of("a", 1)));
            assertThat(p.header(frame, RedisHub.LATENCY_HEADER)).as(p.name()).isEqualTo("123");
            assertThat(p.header(p.invocation(Map.of(), null, "T", List.of()), RedisHub.LATENCY_HEADER)).isNull();
            assertThat(p.readInvocation(frame).headers()).containsEntry(RedisHub.LATENCY_HEADER, "123");
        }
    }

    @Test
    void tooFewItemsNameTheMessage() {
        assertThatThrownBy(() -> WireFormat.readGroupCommand(hex("93 01 a1 73 01")))
                .isInstanceOf(BackplaneException.class).hasMessageContaining("Insufficient items in group command array");
        assertThatThrownBy(() -> WireFormat.readInvocation(hex("91 90")))
                .isInstanceOf(BackplaneException.class).hasMessageContaining("Insufficient items in invocation array");
    }

    @Test
    void aStringLongerThanItsMessageIsRefusedBeforeAllocating() {
        // [[str32 of 2^31-1 bytes]]: an excluded connection id no message can hold
        assertThatThrownBy(() -> WireFormat.readInvocation(hex("92 91 db 7f ff ff ff")))
                .isInstanceOf(BackplaneException.class).hasMessageContaining("string item of 2147483647 bytes");
    }

    /** Random and mutated input never escapes as anything but the SDK's error. */
    @Test
    void readersRejectGarbageWithTheirOwnErrorOnly() {
        Random random = new Random(7);
        Map<String, byte[]> frames = new LinkedHashMap<>();
        frames.put("json", jsonFrame());
        frames.put("messagepack", messagePackFrame());
        List<byte[]> seeds = List.of(WireFormat.writeInvocation(new Invocation(List.of("a"), frames, "id", "ret")),
                WireFormat.writeGroupCommand(new GroupCommand(9, "s", 1, "g", "c")), WireFormat.writeAck(3),
                WireFormat.writeCompletion(new Completion("json", HubProtocol.JSON.completion("i", 1, null))),
                jsonFrame(), messagePackFrame());
        for (int i = 0; i < 5_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                input = seeds.get(random.nextInt(seeds.size())).clone();
                for (int m = 0; m <= random.nextInt(3); m++) {
                    if (input.length > 0) {
                        input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                    }
                }
                if (random.nextBoolean() && input.length > 1) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length));
                }
            }
            byte[] in = input;
            List<Runnable> readers = List.of(() -> WireFormat.readInvocation(in), () -> WireFormat.readGroupCommand(in),
                    () -> WireFormat.readAck(in), () -> WireFormat.readCompletion(in),
                    () -> HubProtocol.JSON.readInvocation(in), () -> HubProtocol.JSON.readCompletion(in),
                    () -> HubProtocol.MESSAGEPACK.readInvocation(in), () -> HubProtocol.MESSAGEPACK.readCompletion(in),
                    () -> HubProtocol.JSON.header(in, "h"), () -> HubProtocol.MESSAGEPACK.header(in, "h"));
            for (Runnable r : readers) {
                try {
                    r.run();
                } catch (BackplaneException expected) {
                    // the only failure allowed
                } catch (RuntimeException e) {
                    throw new AssertionError("input " + HexFormat.of().formatHex(in) + " escaped as " + e, e);
                }
            }
        }
    }
}
