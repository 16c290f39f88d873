package org.carnet.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The data source: external PostgreSQL when {@code carnet.db.url} is set, otherwise the embedded one. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(DatabaseProperties properties) {
        if (properties.db().configured()) {
            return EmbeddedDatabase.none();
        }
        return EmbeddedDatabase.start(properties.dataDir(), properties.db().embeddedDurability());
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties properties, ObjectProvider<EmbeddedDatabase> embedded) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("carnet");
        var external = properties.db();
        if (external.configured()) {
            config.setJdbcUrl(external.url());
            config.setUsername(external.username());
            config.setPassword(external.password());
            log.info("Using external PostgreSQL");
        } else {
            config.setJdbcUrl(embedded.getObject().jdbcUrl());
            config.setUsername("postgres");
        }
        config.setMaximumPoolSize(external.poolSize());
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // Searches are one statement shape with very different selectivity per value (one patient's rows vs a
        // whole type): a cached generic plan can walk the whole table, so always plan for the actual values.
        config.addDataSourceProperty("options", "-c plan_cache_mode=force_custom_plan");
        return new HikariDataSource(config);
    }

    /** The embedded PostgreSQL and the lock on its directory; {@link #none()} when an external one is used. */
    static final class EmbeddedDatabase implements AutoCloseable {

        private final @Nullable DataDirectoryLock lock;
        private final @Nullable EmbeddedPostgres postgres;

        private EmbeddedDatabase(@Nullable DataDirectoryLock lock, @Nullable EmbeddedPostgres postgres) {
            this.lock = lock;
            this.postgres = postgres;
        }

        static EmbeddedDatabase none() {
            return new EmbeddedDatabase(null, null);
        }

        static EmbeddedDatabase start(Path dataDir, DatabaseProperties.EmbeddedDurability durability) {
            DataDirectoryLock lock = DataDirectoryLock.acquire(dataDir);
            Path pgData = dataDir.resolve("postgres").toAbsolutePath();
            try {
                OrphanPostgres.stopIfRunning(pgData, java.time.Duration.ofSeconds(60));
                boolean durable = durability == DatabaseProperties.EmbeddedDurability.DURABLE;
                EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(pgData)
                        // The library starts PostgreSQL with -F (fsync off) and synchronous_commit=off, made for
                        // throw-away test databases; a -c given after -F wins. A 201 means the write is on disk.
                        .setServerConfig("fsync", durable ? "on" : "off")
                        .setServerConfig("synchronous_commit", durable ? "on" : "off")
                        .setServerConfig("full_page_writes", durable ? "on" : "off")
                        .setCleanDataDirectory(false)
                        .setRegisterShutdownHook(false)
                        .setServerConfig("shared_buffers", "256MB")
                        .setServerConfig("max_wal_size", "2GB")
                        .setServerConfig("max_connections", "100")
                        // Bulk ingest changes the index tables' statistics fast; re-analyse within seconds, not a
                        // minute, so searches right after a load are planned with current figures.
                        .setServerConfig("autovacuum_naptime", "10s")
                        .start();
                if (durable) {
                    log.info("Embedded PostgreSQL started on port {} with its data in {}", postgres.getPort(), pgData);
                } else {
                    log.warn(
                            "Embedded PostgreSQL started on port {} with its data in {} WITHOUT fsync "
                                    + "(carnet.db.embedded-durability={}): a crash loses acknowledged writes",
                            postgres.getPort(),
                            pgData,
                            durability);
                }
                return new EmbeddedDatabase(lock, postgres);
            } catch (IOException | RuntimeException e) {
                closeQuietly(lock);
                throw new IllegalStateException("Cannot start the embedded PostgreSQL in " + pgData, e);
            }
        }

        String jdbcUrl() {
            if (postgres == null) {
                throw new IllegalStateException("No embedded PostgreSQL: an external one is configured");
            }
            return postgres.getJdbcUrl("postgres", "postgres");
        }

        @Override
        public void close() {
            if (postgres == null || lock == null) {
                return; // none(): both are null, an external PostgreSQL is used
            }
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                closeQuietly(lock);
            }
        }

        private static void closeQuietly(DataDirectoryLock lock) {
            try {
                lock.close();
            } catch (IOException e) {
                log.warn("Could not release the data directory lock", e);
            }
        }
    }
}
