package org.carnet.ingestion;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the connectors ({@code carnet.ingestion.*}).
 *
 * @param mllp the HL7 v2 listener, on when its port is set
 * @param dropDir a directory watched for files to import (none by default); filed files move to {@code done/},
 *     the others to {@code failed/} (the reasons are in the quarantine and dead-letter lists)
 * @param dropInterval how often the drop directory is looked at
 * @param dropWait how long a dropped file that names a document not filed yet (a replacement or deletion whose
 *     target has not arrived) stays in the drop directory to be tried again, counted from its last modification;
 *     after that it is filed without waiting (default 10 minutes)
 */
@ConfigurationProperties("carnet.ingestion")
public record IngestionProperties(
        Mllp mllp, @org.jspecify.annotations.Nullable Path dropDir, Duration dropInterval, Duration dropWait) {

    public IngestionProperties {
        mllp = mllp == null ? new Mllp("0.0.0.0", null, 0) : mllp;
        dropInterval = dropInterval == null ? Duration.ofSeconds(5) : dropInterval;
        dropWait = dropWait == null ? Duration.ofMinutes(10) : dropWait;
    }

    /** @param maxMessageBytes largest message accepted (default 16 MiB: messages carry base64 documents) */
    public record Mllp(
            String host, @org.jspecify.annotations.Nullable Integer port, int maxMessageBytes) {
        public Mllp {
            host = host == null ? "0.0.0.0" : host;
            maxMessageBytes = maxMessageBytes <= 0 ? 16 * 1024 * 1024 : maxMessageBytes;
        }
    }
}
