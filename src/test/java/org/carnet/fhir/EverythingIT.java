package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.carnet.CarnetIT;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

class EverythingIT extends CarnetIT {

    @Test
    void returnsThePatientTheirRecordAndWhatItReferencesAcrossPages() {
        String patientId = created(patient("Garnier", unique())).getIdElement().getIdPart();
        String otherId = created(patient("Garnier", unique())).getIdElement().getIdPart();
        Practitioner doctor = new Practitioner();
        doctor.addName().setFamily("Moreau");
        String doctorId = client.create().resource(doctor).execute().getId().getIdPart();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (int i = 0; i < 45; i++) {
            Observation observation = new Observation();
            observation.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("Tension " + i);
            observation.setSubject(new Reference("Patient/" + (i < 40 ? patientId : otherId)));
            observation.addPerformer(new Reference("Practitioner/" + doctorId));
            transaction
                    .addEntry()
                    .setResource(observation)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
        }
        client.transaction().withBundle(transaction).execute();

        Bundle page = client.operation()
                .onInstance("Patient/" + patientId)
                .named("$everything")
                .withParameters(new Parameters().addParameter("_count", new org.hl7.fhir.r4.model.IntegerType(15)))
                .useHttpGet()
                .returnResourceType(Bundle.class)
                .execute();
        List<Resource> all = new ArrayList<>();
        int pages = 0;
        while (page != null) {
            pages++;
            page.getEntry().forEach(e -> all.add(e.getResource()));
            page = page.getLink("next") == null
                    ? null
                    : client.loadPage().next(page).execute();
        }

        assertThat(pages).isEqualTo(3);
        assertThat(all).hasSize(42);
        assertThat(all.get(0).fhirType()).isEqualTo("Patient");
        assertThat(all)
                .filteredOn(r -> r instanceof Observation)
                .hasSize(40)
                .allSatisfy(r -> assertThat(((Observation) r).getSubject().getReference())
                        .isEqualTo("Patient/" + patientId));
        assertThat(all)
                .extracting(r -> r.fhirType() + "/" + r.getIdElement().getIdPart())
                .contains("Practitioner/" + doctorId)
                .doesNotContain("Patient/" + otherId);
    }
}
