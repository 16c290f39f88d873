package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

class AuditEventsTests {

    private static final IParser STRICT =
            FhirContext.forR4Cached().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    private static final AuditRecord.Actor MOREAU =
            new AuditRecord.Actor("idnat:810004372156", "Dr Philippe Moreau", "PROFESSIONAL", "10", "SM54");
    private static final Instant AT = Instant.parse("2026-03-12T13:05:00Z");

    @Test
    void aReadIsAValidBalpShapedAuditEvent() {
        AuditEvent event =
                parse(new AuditRecord("p1", MOREAU, "read", "normal", null, true, List.of("Observation/o1"), null, AT));

        assertThat(event.getType().getCode()).isEqualTo("rest");
        assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(event.getRecorded().toInstant()).isEqualTo(AT);
        assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("810004372156");
        assertThat(event.getAgentFirstRep().getRequestor()).isTrue();
        assertThat(event.getAgentFirstRep().getRoleFirstRep().getText()).isEqualTo("médecin généraliste");
        assertThat(event.getEntity())
                .extracting(e -> e.getWhat().getReference())
                .containsExactly("Patient/p1", "Observation/o1");
        assertThat(TrailText.of(event))
                .isEqualTo(
                        "Dr Philippe Moreau, médecin généraliste, a consulté 1 élément du dossier le 12/03/2026 à 14:05");
    }

    @Test
    void anEmergencyCarriesItsModeAndReasonEvenWithAwkwardCharacters() {
        String reason = "Inconscient \"AVP\"\nsur l'A6 \\ nuit";
        AuditEvent event = parse(new AuditRecord(
                "p1",
                MOREAU,
                "everything",
                "bris-de-glace",
                reason,
                true,
                List.of("DocumentReference/d1", "DocumentReference/d2"),
                null,
                AT));

        assertThat(event.getPurposeOfEventFirstRep().getCoding())
                .extracting(c -> c.getCode())
                .containsExactly("bris-de-glace", "ETREAT");
        assertThat(event.getPurposeOfEventFirstRep().getText()).isEqualTo(reason);
        assertThat(TrailText.of(event))
                .contains("a consulté 2 documents")
                .contains("bris de glace")
                .contains(reason);
    }

    @Test
    void aSignInHasNoPatientAndARefusalSaysSo() {
        AuditRecord.Actor citizen = new AuditRecord.Actor("http://idp|jeanne", "Jeanne Dubois", "CITIZEN", null, null);
        AuditEvent signIn = parse(new AuditRecord(null, citizen, "sign-in", null, null, true, List.of(), null, AT));
        AuditEvent refused =
                parse(new AuditRecord("p1", MOREAU, "read", "centre-15", "Appel", false, List.of(), null, AT));

        assertThat(signIn.getEntity()).isEmpty();
        assertThat(signIn.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(TrailText.of(signIn)).startsWith("Jeanne Dubois s'est connecté le 12/03/2026");
        assertThat(refused.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(TrailText.of(refused)).endsWith("(refusé)");
    }

    @Test
    void aLargeSearchKeepsTheFirstHundredResourcesAndTheCount() {
        List<String> many =
                IntStream.range(0, 250).mapToObj(i -> "Observation/o" + i).toList();
        AuditEvent event =
                parse(new AuditRecord("p1", MOREAU, "search-type", "normal", null, true, many, "code=8867-4", AT));

        assertThat(event.getEntity()).hasSize(1 + 100 + 1);
        assertThat(event.getEntity().get(101).getDescription()).isEqualTo("code=8867-4");
        assertThat(TrailText.of(event)).contains("a consulté 250 éléments du dossier");
    }

    @Test
    void aRuleChangeIsAnUpdate() {
        AuditEvent event = parse(
                new AuditRecord("p1", MOREAU, "block", "normal", null, true, List.of(), "blocage : 810005820468", AT));

        assertThat(event.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(TrailText.of(event)).contains("a modifié les règles d'accès au dossier (blocage : 810005820468)");
    }

    private static AuditEvent parse(AuditRecord record) {
        return STRICT.parseResource(AuditEvent.class, AuditEvents.json(record));
    }
}
