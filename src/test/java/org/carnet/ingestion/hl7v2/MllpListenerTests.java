package org.carnet.ingestion.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.carnet.ingestion.hl7v2.Hl7Fixtures.field;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MllpListenerTests {

    private static final java.time.Instant NOW = java.time.Instant.parse("2024-12-03T10:30:00Z");
    private static final java.time.Clock CLOCK = java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC);

    private static final int MAX_BYTES = 64 * 1024;

    private MllpListener listener;

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void answersTwoMessagesOnOneConnectionInOrder() throws IOException {
        listener = new MllpListener("127.0.0.1", 0, MAX_BYTES, MllpListenerTests::acceptIfReadable, CLOCK);
        String first = Hl7Fixtures.numericOru();
        String second = first.replace("|MSG-0001|P|", "|MSG-0002|P|");

        try (Client client = new Client(listener.port())) {
            client.send(first);
            client.send(second);

            String firstAck = client.receive();
            String secondAck = client.receive();
            assertThat(field(firstAck, "MSA", 1)).isEqualTo("AA");
            assertThat(field(firstAck, "MSA", 2)).isEqualTo("MSG-0001");
            assertThat(field(secondAck, "MSA", 2)).isEqualTo("MSG-0002");
        }
    }

    @Test
    void answersAFailingHandlerWithAnErrorAckAndKeepsTheConnection() throws IOException {
        listener = new MllpListener(
                "127.0.0.1",
                0,
                MAX_BYTES,
                message -> {
                    throw new IllegalStateException("the record is down");
                },
                CLOCK);

        try (Client client = new Client(listener.port())) {
            client.send(Hl7Fixtures.mdmReplacement());
            String ack = client.receive();
            client.send(Hl7Fixtures.numericOru());
            String next = client.receive();

            assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
            assertThat(field(ack, "MSA", 2)).isEqualTo("MDM-0003");
            assertThat(field(ack, "MSA", 3)).doesNotContain("the record is down");
            assertThat(field(next, "MSA", 2)).isEqualTo("MSG-0001");
        }
    }

    @Test
    void answersAnUnreadableMessageWithTheHandlersReject() throws IOException {
        listener = new MllpListener("127.0.0.1", 0, MAX_BYTES, MllpListenerTests::acceptIfReadable, CLOCK);
        String adt = "MSH|^~\\&|GAM|CHU|CARNET|CARNET|20240306||ADT^A01^ADT_A01|3975|P|2.5\rPID|||1\r";

        try (Client client = new Client(listener.port())) {
            client.send(adt);
            String ack = client.receive();

            assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
            assertThat(field(ack, "MSA", 2)).isEqualTo("3975");
            assertThat(field(ack, "ERR", 8)).as("escaped").isEqualTo("unsupported message type ADT\\S\\A01");
        }
    }

    @Test
    void closesAConnectionSendingTooLargeAMessageAndKeepsListening() throws IOException {
        listener =
                new MllpListener("127.0.0.1", 0, 200, message -> Hl7Reader.ack(message, AckCode.AA, null, NOW), CLOCK);
        String small = "MSH|^~\\&|LAB|LABO|CARNET|CARNET|20240710||ORU^R01|SMALL-1|P|2.5\r";

        try (Client client = new Client(listener.port())) {
            try {
                client.send(Hl7Fixtures.numericOru());
            } catch (IOException cutOff) {
                // the server may close before the whole frame is written
            }
            assertThat(client.closedByServer()).isTrue();
        }
        try (Client client = new Client(listener.port())) {
            client.send(small);
            assertThat(field(client.receive(), "MSA", 2)).isEqualTo("SMALL-1");
        }
    }

    @Test
    void closeStopsAcceptingAndClosesOpenConnections() throws IOException {
        listener = new MllpListener(
                "127.0.0.1", 0, MAX_BYTES, message -> Hl7Reader.ack(message, AckCode.AA, null, NOW), CLOCK);
        int port = listener.port();

        try (Client client = new Client(port)) {
            client.send(Hl7Fixtures.numericOru());
            client.receive();

            listener.close();

            assertThat(client.closedByServer()).isTrue();
        }
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    /** What an ingestion handler does: AA when the message reads, else AR with the reason. */
    private static String acceptIfReadable(String message) {
        try {
            Hl7Reader.read(message);
            return Hl7Reader.ack(message, AckCode.AA, null, NOW);
        } catch (Hl7Exception e) {
            return Hl7Reader.ack(message, AckCode.AR, e.getMessage(), NOW);
        }
    }

    /** A sending system: frames messages out, reads framed answers back, gives up after a few seconds. */
    private static final class Client implements AutoCloseable {

        private final Socket socket;
        private final InputStream in;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5_000);
            in = new BufferedInputStream(socket.getInputStream());
        }

        void send(String message) throws IOException {
            MllpFraming.write(socket.getOutputStream(), message);
        }

        String receive() throws IOException {
            String answer = MllpFraming.read(in, 1 << 20);
            assertThat(answer).as("an answer before the connection ends").isNotNull();
            return answer;
        }

        /** True when the server ends the connection (end of stream or reset) rather than answering. */
        boolean closedByServer() {
            try {
                return in.read() == -1;
            } catch (IOException reset) {
                return !(reset instanceof SocketTimeoutException);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
