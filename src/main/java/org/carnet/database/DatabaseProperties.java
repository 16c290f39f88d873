package org.carnet.database;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Carnet keeps its data.
 *
 * @param dataDir the data directory ({@code carnet.data-dir}, env {@code CARNET_DATA_DIR}); the
 *     embedded PostgreSQL keeps its files in {@code <dataDir>/postgres}
 * @param db an external PostgreSQL; when its {@code url} is blank the embedded one is used
 */
@ConfigurationProperties("carnet")
public record DatabaseProperties(Path dataDir, External db) {

    public DatabaseProperties {
        dataDir = dataDir == null ? Path.of("carnet-data") : dataDir;
        db = db == null ? new External(null, null, null, 20, EmbeddedDurability.DURABLE) : db;
    }

    /** How the embedded PostgreSQL writes to disk (ADR 0004). */
    public enum EmbeddedDurability {
        /** Every acknowledged commit is on disk (fsync, synchronous commit, full-page writes): the default. */
        DURABLE,
        /**
         * No fsync and no synchronous commit: faster, but a crash of the machine or of PostgreSQL loses writes that
         * were already acknowledged, and may corrupt the database. For throw-away data only (load tests), never the
         * default.
         */
        LOSE_RECENT_WRITES_ON_CRASH
    }

    /**
     * An external PostgreSQL ({@code CARNET_DB_URL}, {@code CARNET_DB_USERNAME}, {@code CARNET_DB_PASSWORD}); and
     * how the embedded one writes to disk when none is named ({@code carnet.db.embedded-durability}).
     */
    public record External(
            @Nullable String url,
            @Nullable String username,
            @Nullable String password,
            int poolSize,
            EmbeddedDurability embeddedDurability) {

        public External {
            poolSize = poolSize <= 0 ? 20 : poolSize;
            embeddedDurability = embeddedDurability == null ? EmbeddedDurability.DURABLE : embeddedDurability;
        }

        /** True when an external PostgreSQL is named, so the embedded one does not start. */
        public boolean configured() {
            return url != null && !url.isBlank();
        }
    }
}
