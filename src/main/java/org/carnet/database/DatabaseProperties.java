package org.carnet.database;

import java.nio.file.Path;
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
        db = db == null ? new External(null, null, null, 20) : db;
    }

    /**
     * An external PostgreSQL ({@code CARNET_DB_URL}, {@code CARNET_DB_USERNAME}, {@code CARNET_DB_PASSWORD}).
     */
    public record External(String url, String username, String password, int poolSize) {

        public External {
            poolSize = poolSize <= 0 ? 20 : poolSize;
        }

        /** True when an external PostgreSQL is named, so the embedded one does not start. */
        public boolean configured() {
            return url != null && !url.isBlank();
        }
    }
}
