package org.carnet.ingestion.cda;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.carnet.ingestion.Connector;
import org.carnet.ingestion.Inbound;
import org.carnet.ingestion.Refused;
import org.springframework.stereotype.Component;

/** CI-SIS CDA R2 documents (files, or any source sending the XML): filed as DMP documents. */
@Component
class CdaConnector implements Connector {

    @Override
    public String name() {
        return "cda";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        String start = new String(head, StandardCharsets.UTF_8);
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".xml") && start.contains("ClinicalDocument");
    }

    @Override
    public java.time.@org.jspecify.annotations.Nullable Instant messageTime(byte[] head) {
        return CdaReader.effectiveTime(head);
    }

    @Override
    public Reading read(Inbound item) throws Refused {
        CdaDocument cda;
        try {
            cda = CdaReader.read(new ByteArrayInputStream(item.content()));
        } catch (CdaException e) {
            throw new Refused(java.util.Objects.requireNonNull(e.getMessage(), "a CdaException has its reason"));
        }
        return new Reading(
                CdaDocuments.claim(cda),
                (patientId, documents) -> CdaDocuments.file(cda, item.content(), Set.of(), patientId, documents));
    }
}
