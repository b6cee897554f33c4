package io.spaghetti.sdk.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a table of bad requests (examples/bad-input-cases.tsv) against a service and lists every one that was
 * not answered with its status and a JSON body saying why. Requests go over a plain socket, exactly as written:
 * HTTP clients refuse to send some of them (a malformed %-escape), and a dropped connection must show as one.
 */
public final class BadInputSuite {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BadInputSuite() {
    }

    public record Case(String method, String path, String contentType, String body, int status) {
        public String describe() {
            String b = body == null ? "" : " [" + (body.length() > 60 ? body.length() + " bytes" : body) + "]";
            return method + " " + (path.length() > 80 ? path.substring(0, 80) + "..." : path)
                    + (contentType == null ? "" : " (" + contentType + ")") + b;
        }
    }

    /** The cases of a table: method, path, content type, body, status, tab-separated; '-' is none. */
    public static List<Case> load(Path table) throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : Files.readAllLines(table)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("a case has 5 tab-separated fields: " + line);
            }
            String body = f[3].equals("-") ? null
                    : f[3].equals("@10MB") ? "{\"name\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}" : f[3];
            cases.add(new Case(f[0], f[1], f[2].equals("-") ? null : f[2], body, Integer.parseInt(f[4])));
        }
        return cases;
    }

    /** The failures, empty when every case was answered as the table says. */
    public static List<String> run(String host, int port, List<Case> cases) {
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            try {
                Response r = send(host, port, c);
                String detail = "";
                try {
                    JsonNode problem = JSON.readTree(r.body());
                    detail = problem.path("detail").asText(problem.path("message").asText(""));
                } catch (IOException notJson) {
                    failures.add(c.describe() + " answered " + r.status() + " without a JSON body: " + abbreviate(r.body()));
                    continue;
                }
                if (r.status() != c.status() || detail.isBlank()) {
                    failures.add(c.describe() + " -> " + r.status() + " " + abbreviate(r.body()));
                }
            } catch (IOException e) {
                failures.add(c.describe() + " -> no answer: " + e);
            }
        }
        return failures;
    }

    public record Response(int status, String body) {
    }

    public static Response send(String host, int port, Case c) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setSoTimeout(20_000);
            byte[] body = c.body() == null ? new byte[0] : c.body().getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(c.method()).append(' ').append(c.path()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\nConnection: close\r\n");
            if (c.contentType() != null) {
                head.append("Content-Type: ").append(c.contentType()).append("\r\n");
            }
            if (c.body() != null || !c.method().equals("GET") && !c.method().equals("DELETE")) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (IOException refusedMidBody) {
                // a server may answer (413) and close before reading a large body: read what it said
            }
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (response.length() < 12) {
                throw new IOException("the connection closed without a response");
            }
            int status = Integer.parseInt(response.substring(9, 12));
            int end = response.indexOf("\r\n\r\n");
            String headers = response.substring(0, Math.max(end, 0)).toLowerCase(Locale.ROOT);
            String payload = end < 0 ? "" : response.substring(end + 4);
            if (headers.contains("transfer-encoding: chunked")) {
                payload = dechunk(payload);
            }
            return new Response(status, payload);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            // sizes count bytes; the bodies here are ASCII JSON, so characters are bytes
            out.append(chunked, eol + 2, Math.min(chunked.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() <= 200 ? one : one.substring(0, 200) + "...";
    }
}
