package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.carnet.CarnetIT;
import org.carnet.CarnetTestServer;
import org.carnet.SmtpInbox;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

/** With an SMTP server configured, the holder and the médecin traitant get an e-mail after an emergency access. */
class NotificationMailIT extends CarnetIT {

    private static final SmtpInbox INBOX = CarnetTestServer.inbox();

    @Test
    void anEmergencyAccessIsMailedToHolderAndTraitantWithoutItsDetails() throws Exception {
        String idNat = "810200000010";
        Practitioner traitant = new Practitioner();
        traitant.addIdentifier().setSystem("urn:oid:1.2.250.1.71.4.2.1").setValue(idNat);
        traitant.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("dr.traitant@cabinet.example");
        client.create().resource(traitant).execute();
        Patient patient = new Patient();
        patient.addName().setFamily("Courriel").addGiven("Marie");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE).setBirthDateElement(new DateType("1960-02-02"));
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("marie@example.org");
        String id = client.create().resource(patient).execute().getId().getIdPart();
        Parameters designate = new Parameters();
        designate.addParameter().setName("practitioner").setValue(new StringType(idNat));
        client.operation()
                .onInstance("Patient/" + id)
                .named("$designate-traitant")
                .withParameters(designate)
                .execute();

        HttpResponse<String> read = getAs(
                "urgentiste",
                "/Patient/" + id,
                "Carnet-Access-Mode",
                "bris-de-glace",
                "Carnet-Access-Patient",
                id,
                "Carnet-Access-Reason",
                "Coma diabétique");
        assertThat(read.statusCode()).isEqualTo(200);

        long deadline = System.currentTimeMillis() + 10_000;
        while (INBOX.mails().stream()
                                .filter(m -> m.to().contains("marie@example.org")
                                        || m.to().contains("dr.traitant@cabinet.example"))
                                .count()
                        < 2
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        List<SmtpInbox.Mail> mine = INBOX.mails().stream()
                .filter(m -> m.to().contains("marie@example.org") || m.to().contains("dr.traitant@cabinet.example"))
                .toList();
        assertThat(mine)
                .extracting(m -> m.to().get(0))
                .containsExactlyInAnyOrder("marie@example.org", "dr.traitant@cabinet.example");
        assertThat(mine)
                .allSatisfy(m -> assertThat(m.data())
                        .contains("Subject: =?UTF-8?Q?Carnet")
                        .doesNotContain("Coma")
                        .doesNotContain("Courriel"));
    }
}
