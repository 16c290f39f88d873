package org.carnet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The data directory shared by the integration tests of one run: a fresh temporary directory. */
public final class CarnetTestServer {

    private static final Path DATA_DIR = create();
    private static final SmtpInbox INBOX = inbox();

    private CarnetTestServer() {}

    public static void properties(DynamicPropertyRegistry registry) {
        registry.add("carnet.data-dir", DATA_DIR::toString);
        registry.add("carnet.demo.seed", () -> "false");
        registry.add("carnet.fhir.max-request-bytes", () -> "2000000");
        // Pages cut by bytes sooner than by default (16 MiB), so the tests reach the cut with small data.
        registry.add("carnet.fhir.max-page-bytes", () -> "2097152");
        registry.add("carnet.fhir.max-resource-bytes", () -> "1800000");
        registry.add("carnet.insi.registry-file", () -> "classpath:fixtures/insi-registry.csv");
        // Notification e-mails go to a real SMTP exchange with the test inbox.
        registry.add("spring.mail.host", () -> "localhost");
        registry.add("spring.mail.port", INBOX::port);
        registry.add("carnet.notifications.mail-interval", () -> "200ms");
        // The HL7 v2 listener on a free port, and a drop directory looked at often.
        registry.add("carnet.ingestion.mllp.port", () -> "0");
        registry.add("carnet.ingestion.drop-dir", () -> DATA_DIR.resolve("drop").toString());
        registry.add("carnet.ingestion.drop-interval", () -> "200ms");
    }

    private static final java.util.Map<String, String> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A real access token for a demo identity from the demo provider at {@code server} (client credentials, the
     * README's one {@code curl}), kept for the run: tokens live an hour, longer than the suite.
     */
    public static String token(String server, String identity) {
        return TOKENS.computeIfAbsent(server + "|" + identity, key -> freshToken(server, identity));
    }

    /** A new token, never kept (each is a new sign-in). */
    public static String freshToken(String server, String identity) {
        {
            try {
                java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(java.net.URI.create(server + "/oauth2/token"))
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .header(
                                                "Authorization",
                                                "Basic "
                                                        + java.util.Base64.getEncoder()
                                                                .encodeToString((identity + ":demo")
                                                                        .getBytes(
                                                                                java.nio.charset.StandardCharsets
                                                                                        .UTF_8)))
                                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                                "grant_type=client_credentials"))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(
                            "No token for " + identity + ": " + response.statusCode() + " " + response.body());
                }
                java.util.regex.Matcher token = java.util.regex.Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"")
                        .matcher(response.body());
                if (!token.find()) {
                    throw new IllegalStateException("No access_token in " + response.body());
                }
                return token.group(1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The mailbox every notification e-mail of the integration tests arrives in. */
    public static SmtpInbox inbox() {
        if (INBOX != null) {
            return INBOX;
        }
        try {
            return new SmtpInbox();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path create() {
        try {
            return Files.createTempDirectory("carnet-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
