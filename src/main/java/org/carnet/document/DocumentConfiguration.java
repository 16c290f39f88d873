package org.carnet.document;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The blob store and key store: directories under the data directory by default ({@code carnet.blobs.dir},
 * {@code carnet.blobs.keys-dir}); another {@link BlobStore} or {@link PatientKeys} bean replaces them.
 */
@Configuration(proxyBeanMethods = false)
class DocumentConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DocumentConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(PatientKeys.class)
    PatientKeys patientKeys(@Value("${carnet.blobs.keys-dir:${carnet.data-dir}/keys}") Path dir) {
        return new FileKeyStore(dir);
    }

    @Bean
    @ConditionalOnMissingBean(BlobStore.class)
    BlobStore blobStore(@Value("${carnet.blobs.dir:${carnet.data-dir}/blobs}") Path dir, PatientKeys keys)
            throws IOException {
        DirectoryBlobStore store = new DirectoryBlobStore(dir, keys);
        int swept = store.sweep();
        if (swept > 0) {
            log.info("Blob store: removed {} unfinished writes left by an earlier stop", swept);
        }
        return store;
    }
}
