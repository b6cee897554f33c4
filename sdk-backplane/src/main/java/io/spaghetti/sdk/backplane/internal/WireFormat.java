package io.spaghetti.sdk.backplane.internal;

import io.spaghetti.sdk.backplane.BackplaneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;

/**
 * The Redis messages of ASP.NET Core SignalR's Redis backplane (RedisProtocol), in MessagePack's
 * smallest forms, which msgpack-core writes by default. Readers require the minimum item count
 * and ignore extra items, as the .NET reader does.
 */
public final class WireFormat {
    public static final int GROUP_ADD = 1;
    public static final int GROUP_REMOVE = 2;

    /** Backplane messages are small: msgpack-core's default 8 KiB buffer per message costs more than the encoding. */
    private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(512);

    private WireFormat() {
    }

    /** Writes one MessagePack message. */
    @FunctionalInterface
    interface Packing {
        void write(MessageBufferPacker p) throws IOException;
    }

    /** The bytes {@code body} packs; an IOException (a value Jackson cannot serialize) comes back unchecked. */
    static byte[] pack(Packing body) {
        try (MessageBufferPacker p = PACKER.newBufferPacker()) {
            body.write(p);
            return p.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One invocation message. Built on the receiving hot path: the collections are taken as given
     * (the reader and the hub hand over fresh ones and never change them).
     *
     * @param frames         protocol name to complete hub-protocol frame, in the configured order
     * @param invocationId   set, with {@code returnChannel}, only when the sender awaits a client result
     */
    public record Invocation(List<String> excluded, Map<String, byte[]> frames, String invocationId,
            String returnChannel) {
    }

    public record GroupCommand(int id, String serverName, int action, String group, String connectionId) {
    }

    public record Completion(String protocol, byte[] frame) {
    }

    public static byte[] writeInvocation(Invocation m) {
        return pack(p -> {
            boolean wantsResult = m.invocationId() != null;
            p.packArrayHeader(wantsResult ? 4 : 2);
            p.packArrayHeader(m.excluded().size());
            for (String id : m.excluded()) {
                p.packString(id);
            }
            p.packMapHeader(m.frames().size());
            for (Map.Entry<String, byte[]> e : m.frames().entrySet()) {
                p.packString(e.getKey());
                p.packBinaryHeader(e.getValue().length);
                p.writePayload(e.getValue());
            }
            if (wantsResult) {
                p.packString(m.invocationId());
                p.packString(m.returnChannel());
            }
        });
    }

    public static Invocation readInvocation(byte[] bytes) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            int items = atLeast(u.unpackArrayHeader(), 2, "invocation");
            int n = u.unpackArrayHeader();
            List<String> excluded = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                excluded.add(string(u, bytes));
            }
            int protocols = u.unpackMapHeader();
            Map<String, byte[]> frames = new LinkedHashMap<>();
            for (int i = 0; i < protocols; i++) {
                String name = protocolName(u, bytes);
                frames.put(name, u.readPayload(binaryLength(u, bytes)));
            }
            String invocationId = null;
            String returnChannel = null;
            if (items >= 4) {
                invocationId = string(u, bytes);
                returnChannel = string(u, bytes);
            }
            return new Invocation(excluded, frames, invocationId, returnChannel);
        } catch (IOException | MessagePackException | IllegalArgumentException e) {
            throw malformed("invocation", e);
        }
    }

    public static byte[] writeGroupCommand(GroupCommand c) {
        return pack(p -> {
            p.packArrayHeader(5);
            p.packInt(c.id());
            p.packString(c.serverName());
            p.packInt(c.action());
            p.packString(c.group());
            p.packString(c.connectionId());
        });
    }

    public static GroupCommand readGroupCommand(byte[] bytes) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            atLeast(u.unpackArrayHeader(), 5, "group command");
            return new GroupCommand(u.unpackInt(), u.unpackString(), u.unpackInt(), u.unpackString(),
                    u.unpackString());
        } catch (IOException | MessagePackException e) {
            throw malformed("group command", e);
        }
    }

    public static byte[] writeAck(int id) {
        return pack(p -> {
            p.packArrayHeader(1);
            p.packInt(id);
        });
    }

    public static int readAck(byte[] bytes) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            atLeast(u.unpackArrayHeader(), 1, "ack");
            return u.unpackInt();
        } catch (IOException | MessagePackException e) {
            throw malformed("ack", e);
        }
    }

    public static byte[] writeCompletion(Completion c) {
        return pack(p -> {
            p.packArrayHeader(2);
            p.packString(c.protocol());
            p.packBinaryHeader(c.frame().length);
            p.writePayload(c.frame());
        });
    }

    public static Completion readCompletion(byte[] bytes) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            atLeast(u.unpackArrayHeader(), 2, "completion");
            String protocol = u.unpackString();
            return new Completion(protocol, u.readPayload(binaryLength(u, bytes)));
        } catch (IOException | MessagePackException e) {
            throw malformed("completion", e);
        }
    }

    private static final byte[] JSON = "json".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGEPACK = "messagepack".getBytes(StandardCharsets.US_ASCII);

    /**
     * A str item. Decoded by the JDK rather than msgpack-core's {@code unpackString}, whose CharsetDecoder and buffer
     * per string were a fifth of the receiving side's time (a JFR profile of the fan-out benchmark).
     */
    private static String string(MessageUnpacker u, byte[] message) throws IOException {
        return new String(u.readPayload(stringLength(u, message)), StandardCharsets.UTF_8);
    }

    /** A frame's protocol name, as the shared constant when it is one of ours (its hash is computed once). */
    private static String protocolName(MessageUnpacker u, byte[] message) throws IOException {
        byte[] name = u.readPayload(stringLength(u, message));
        if (Arrays.equals(name, JSON)) {
            return "json";
        }
        return Arrays.equals(name, MESSAGEPACK) ? "messagepack" : new String(name, StandardCharsets.UTF_8);
    }

    private static int stringLength(MessageUnpacker u, byte[] message) throws IOException {
        int length = u.unpackRawStringHeader();
        if (length < 0 || length > message.length) {
            throw new BackplaneException("Malformed backplane message: string item of "
                    + Integer.toUnsignedString(length) + " bytes in a " + message.length + "-byte message");
        }
        return length;
    }

    /** A length larger than the message is a corrupt header: refuse it before allocating. */
    private static int binaryLength(MessageUnpacker u, byte[] message) throws IOException {
        int length = u.unpackBinaryHeader();
        if (length < 0 || length > message.length) {
            throw new BackplaneException("Malformed backplane message: binary item of " + Integer.toUnsignedString(length) + " bytes in a "
                    + message.length + "-byte message");
        }
        return length;
    }

    private static int atLeast(int items, int minimum, String what) {
        if (items < minimum) {
            throw new BackplaneException("Insufficient items in " + what + " array: " + items + " of " + minimum);
        }
        return items;
    }

    private static BackplaneException malformed(String what, Exception e) {
        return new BackplaneException("Malformed backplane " + what + " message: " + e.getMessage(), e);
    }
}
