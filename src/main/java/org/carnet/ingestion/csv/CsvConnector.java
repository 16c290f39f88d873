package org.carnet.ingestion.csv;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.carnet.ingestion.Inbound;
import org.carnet.ingestion.LineConnector;
import org.carnet.ingestion.PatientClaim;
import org.carnet.ingestion.PatientMatcher;
import org.carnet.ingestion.Refused;
import org.carnet.record.Change;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.springframework.stereotype.Component;

/**
 * The insurer's reimbursement file: each line is an item of its own (its header with it), filed as an
 * ExplanationOfBenefit in the record of the patient its NIR names. A wrong line waits in the dead-letter list
 * without holding back the others; the same line sent again is recognised.
 */
@Component
class CsvConnector implements LineConnector {

    @Override
    public String name() {
        return "csv";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        String start = new String(head, StandardCharsets.UTF_8).replace("\uFEFF", "");
        return fileName.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")
                && start.startsWith(ReimbursementCsvReader.HEADER);
    }

    @Override
    public List<Inbound> split(String fileName, byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8).replace("\uFEFF", "");
        String[] lines = text.split("\r\n|\n|\r");
        List<Inbound> items = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                items.add(new Inbound(
                        name(),
                        fileName + ":" + (i + 1),
                        (lines[0] + "\n" + lines[i] + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        }
        return items;
    }

    @Override
    public Reading read(Inbound item) throws Refused {
        List<Reimbursement> lines = new ArrayList<>();
        List<LineError> errors = new ArrayList<>();
        try {
            ReimbursementCsvReader.read(
                    new StringReader(new String(item.content(), StandardCharsets.UTF_8)), lines::add, errors::add);
        } catch (CsvException e) {
            throw new Refused(java.util.Objects.requireNonNull(e.getMessage(), "a CsvException has its reason"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!errors.isEmpty()) {
            throw new Refused(errors.get(0).reason());
        }
        if (lines.size() != 1) {
            throw new Refused("an insurer item is one line, not " + lines.size());
        }
        Reimbursement line = lines.get(0);
        List<PatientClaim.Identifier> ids = PatientMatcher.INS_OIDS.stream()
                .sorted()
                .map(oid -> new PatientClaim.Identifier(oid, line.nir()))
                .toList();
        return new Reading(new PatientClaim(ids, null, null, null, null), (patientId, documents) -> {
            ExplanationOfBenefit eob = ReimbursementCsvReader.toExplanationOfBenefit(line, "Patient/" + patientId);
            eob.setId(java.util.UUID.randomUUID().toString());
            return List.<Change>of(new Change.Create(eob));
        });
    }
}
