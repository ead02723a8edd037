package dev.cairn.internal.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LISTENs on a connection of its own for the notifications appends send on commit (from any process on the server)
 * and wakes this store's subscriptions. Only a wake-up: subscriptions read the log by sequence, so a lost connection
 * costs promptness until it is back (each reconnection wakes them once, for what it may have missed), never events.
 */
final class AppendListener implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AppendListener.class);
    private static final int WAIT_MILLIS = 250;

    private final String url;
    private final String location;
    private final Set<Runnable> wakes = new CopyOnWriteArraySet<>();
    private final Thread thread;
    private volatile boolean running = true;

    AppendListener(String url, String location) {
        this.url = url;
        this.location = location;
        this.thread = new Thread(this, "cairn-listen");
        thread.setDaemon(true);
        thread.start();
    }

    void add(Runnable wake) {
        wakes.add(wake);
    }

    @Override
    public void run() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(url)) {
                String schema;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + PostgresDialect.APPENDED_CHANNEL);
                    try (var row = statement.executeQuery("SELECT current_schema()")) {
                        row.next();
                        schema = row.getString(1);
                    }
                }
                wakeAll(); // whatever was appended before the LISTEN took effect
                PGConnection listening = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = listening.getNotifications(WAIT_MILLIS);
                    if (notifications != null && appendedTo(schema, notifications)) {
                        wakeAll();
                    }
                }
            } catch (SQLException e) {
                if (running) {
                    LOG.warn("lost the LISTEN connection to {}; subscriptions poll until it is back", location, e);
                    pause();
                }
            }
        }
    }

    private static boolean appendedTo(String schema, PGNotification[] notifications) {
        for (PGNotification notification : notifications) {
            if (schema == null || schema.equals(notification.getParameter())) {
                return true;
            }
        }
        return false;
    }

    private void wakeAll() {
        for (Runnable wake : wakes) {
            wake.run();
        }
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
