package org.carnet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A small real SMTP server for tests: accepts every message over plain SMTP and keeps it. */
public final class SmtpInbox implements AutoCloseable {

    /** One received message: its recipients and raw data. */
    public record Mail(List<String> to, String data) {}

    private final ServerSocket server;
    private final List<Mail> mails = new CopyOnWriteArrayList<>();

    public SmtpInbox() throws IOException {
        server = new ServerSocket(0);
        Thread.ofPlatform().daemon().name("smtp-inbox").start(this::serve);
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<Mail> mails() {
        return List.copyOf(mails);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept();
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
                out.print("220 inbox\r\n");
                out.flush();
                List<String> to = new CopyOnWriteArrayList<>();
                String line;
                while ((line = in.readLine()) != null) {
                    String command = line.toUpperCase();
                    if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                        out.print("250 inbox\r\n");
                    } else if (command.startsWith("RCPT TO:")) {
                        to.add(line.substring(8).replaceAll("[<> ]", ""));
                        out.print("250 ok\r\n");
                    } else if (command.startsWith("DATA")) {
                        out.print("354 go\r\n");
                        out.flush();
                        StringBuilder data = new StringBuilder();
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            data.append(line).append('\n');
                        }
                        mails.add(new Mail(List.copyOf(to), data.toString()));
                        to.clear();
                        out.print("250 queued\r\n");
                    } else if (command.startsWith("QUIT")) {
                        out.print("221 bye\r\n");
                        out.flush();
                        break;
                    } else {
                        out.print("250 ok\r\n");
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
