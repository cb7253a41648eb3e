package graph.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Runs Neo4j Community embedded, with its Bolt connector, until it is told to stop.
 *
 * <p>Arguments (all optional, {@code --name=value}): {@code --data} (the Neo4j home; default ./data),
 * {@code --host} (default 127.0.0.1), {@code --port} (0 picks a free one; default 7687),
 * {@code --pagecache} (default 512m), {@code --tx-memory} (default 1g) and {@code --password-file} (a file
 * holding the password of the user {@code neo4j}; without it authentication is off).
 *
 * <p>When Bolt is ready it prints exactly one line that starts with {@code NEO4J_READY } followed by JSON,
 * for the process that started it to parse, and writes {@code running.json} (its pid and Bolt address) into
 * the data folder until it stops, so a second start on the same folder can fail at once with a clear
 * message instead of waiting for Neo4j's store lock. It stops cleanly on SIGTERM/SIGINT/SIGHUP (the JVM
 * runs the shutdown hook, and exits with 128 + the signal number), when its standard input closes, and when
 * its parent process dies, so a crashed parent never leaves a JVM behind.
 */
public final class EmbeddedNeo4j {
    private static final String READY_PREFIX = "NEO4J_READY ";
    /** How often the parent is checked: a crashed parent's Neo4j starts stopping within this time. */
    private static final long PARENT_POLL_MILLIS = 200;

    private EmbeddedNeo4j() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path home = Path.of(options.getOrDefault("data", "data")).toAbsolutePath();
        String host = options.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(options.getOrDefault("port", "7687"));
        if (port == 0) {
            port = freePort(host);
        }

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.bolt.enabled", "true");
        settings.put("server.bolt.listen_address", host + ":" + port);
        settings.put("server.bolt.advertised_address", host + ":" + port);
        settings.put("server.bolt.tls_level", "DISABLED");
        // Loopback alone does not keep other local users out: with a password file, Bolt asks for it.
        String passwordFile = options.get("password-file");
        settings.put("dbms.security.auth_enabled", passwordFile == null ? "false" : "true");
        // A stop waits at most this long for running transactions (default 10 s): a stop must stay bounded.
        settings.put("db.shutdown_transaction_end_timeout", "2s");
        settings.put("server.memory.pagecache.size", options.getOrDefault("pagecache", "512m"));
        settings.put("dbms.memory.transaction.total.max", options.getOrDefault("tx-memory", "1g"));
        // Keep transaction logs small: this is a development and test database, not a backup source.
        settings.put("db.tx_log.rotation.retention_policy", "2 files");
        settings.put("dbms.usage_report.enabled", "false");
        // Bolt's Netty shutdown waits out a quiet period (5 s per event loop group by default), which made
        // every stop take over 10 s; nothing is in flight when we stop, so skip it. These names are internal
        // and vary between versions, hence strict validation off: an unknown name is ignored, not fatal.
        settings.put("server.config.strict_validation.enabled", "false");
        settings.put("internal.dbms.bolt.netty_server_shutdown_quiet_period", "0");
        settings.put("internal.dbms.bolt.netty_server_shutdown_quiet_period_duration", "0s");

        long started = System.nanoTime();
        // Settings go through a properties file: the typed setConfig API differs between Neo4j versions,
        // the setting names do not (5.26 LTS and 2025.x/2026.x share them).
        Path conf = writeConfig(home, settings);
        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean(false);
        Path running = home.resolve("running.json");
        Runnable stop = () -> {
            if (stopping.compareAndSet(false, true)) {
                try {
                    service.shutdown();
                } finally {
                    try {
                        Files.deleteIfExists(running);
                    } catch (IOException ignored) {
                        // A stale file names a dead pid, which the next start recognises as stale.
                    }
                    stopped.countDown();
                }
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "neo4j-shutdown"));

        GraphDatabaseService db = service.database("neo4j");
        if (!db.isAvailable(Duration.ofMinutes(2).toMillis())) {
            System.err.println("Neo4j did not become available within 2 minutes; see " + home.resolve("logs"));
            System.exit(1);
        }
        if (passwordFile != null) {
            setPassword(service, Files.readString(Path.of(passwordFile)).trim());
        }
        String version = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println(READY_PREFIX + "{\"bolt\":\"bolt://" + host + ":" + port + "\",\"version\":\"" + version
                + "\",\"home\":\"" + home.toString().replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"startMillis\":" + millis + "}");
        System.out.flush();
        Files.writeString(running, "{\"pid\":" + ProcessHandle.current().pid() + ",\"bolt\":\"bolt://" + host + ":"
                + port + "\"}\n");

        watchParent();
        watchStdin();
        stopped.await();
    }

    /**
     * Gives the user {@code neo4j} the data folder's password at every start (the embedded API runs with full
     * rights, so no old password is needed). A folder created with authentication off, or whose password file
     * was replaced, thus always ends up with the password in the file.
     */
    private static void setPassword(DatabaseManagementService service, String password) {
        try {
            service.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED", Map.of("password", password));
        } catch (RuntimeException e) {
            // Setting the password it already has is refused; that is the usual case after the first start.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    /** Exits (running the shutdown hook) once standard input reaches end of file: the parent has gone. */
    private static void watchStdin() {
        Thread t = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() != -1) {
                    // Anything written to us is ignored; only the end of the stream matters.
                }
            } catch (IOException ignored) {
                // A broken pipe means the same as end of file.
            }
            System.exit(0);
        }, "stdin-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Exits once the parent process is gone, for parents that did not give us a pipe. */
    private static void watchParent() {
        ProcessHandle.current().parent().ifPresent(parent -> {
            Thread t = new Thread(() -> {
                while (parent.isAlive()) {
                    try {
                        Thread.sleep(PARENT_POLL_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                System.exit(0);
            }, "parent-watch");
            t.setDaemon(true);
            t.start();
        });
    }

    private static Path writeConfig(Path home, Map<String, String> settings) throws IOException {
        Path dir = home.resolve("conf");
        Files.createDirectories(dir);
        StringBuilder text = new StringBuilder("# Written by the launcher at every start; edits are overwritten.\n");
        settings.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path file = dir.resolve("neo4j.conf");
        Files.writeString(file, text.toString());
        return file;
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("Arguments are --name=value, got: " + arg);
            }
            int eq = arg.indexOf('=');
            options.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        return options;
    }
}
