package org.carnet.ingestion.csv;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.carnet.identity.IdentifierSystems;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;

/**
 * A reimbursement line as a FHIR R4 ExplanationOfBenefit: status {@code active}, use {@code claim}, type
 * {@code professional} ({@code institutional} for a hospital stay, act {@code GHS}), created and serviced on the
 * date of care (the file has no processing date), insurer "Assurance Maladie", provider by IdNat_PS (or, since R4
 * requires a provider, one marked unknown by a data-absent-reason), outcome {@code complete}, the focal insurance,
 * one item (the act, quantity 1) whose adjudication gives the amount billed ({@code submitted}) and reimbursed
 * ({@code benefit}) in EUR, the same two totals, and the reimbursed amount as the payment.
 *
 * <p>The act is coded in CCAM ({@code urn:oid:1.2.250.1.213.2.5}) when its code has the CCAM shape (four
 * letters, three digits), else in {@value #ACT_SYSTEM}: the file does not say which nomenclature an NGAP letter
 * key or another code belongs to.
 *
 * <p>Identifier: the file has no column identifying a line, so the identifier ({@value #LINE_SYSTEM}) is the
 * SHA-256, in hex, of the columns {@code nir}, {@code date_soins}, {@code code_acte}, {@code montant},
 * {@code montant_rembourse} and {@code idnat_ps}: the same line in a later export gets the same identifier, so a
 * re-import can be recognised. The label is left out so that a reworded label does not make a new line. Two lines
 * equal in all these columns (the same act twice on one day) get the same identifier: the file gives no way to
 * tell them apart, and an importer that deduplicates on it must compare counts.
 */
final class ReimbursementToFhir {

    static final String LINE_SYSTEM = "urn:carnet:insurer-line";
    static final String ACT_SYSTEM = "urn:carnet:insurer-act";
    static final String CCAM_SYSTEM = "urn:oid:1.2.250.1.213.2.5";

    private static final Pattern CCAM = Pattern.compile("[A-Z]{4}\\d{3}");
    private static final String CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type";
    private static final String ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication";
    private static final String DATA_ABSENT_REASON = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

    private ReimbursementToFhir() {}

    static ExplanationOfBenefit explanationOfBenefit(Reimbursement line, String patientReference) {
        Objects.requireNonNull(line, "line");
        if (patientReference == null || patientReference.isBlank()) {
            throw new IllegalArgumentException("an ExplanationOfBenefit needs its patient, as a reference");
        }
        ExplanationOfBenefit eob = new ExplanationOfBenefit();
        eob.addIdentifier(new Identifier().setSystem(LINE_SYSTEM).setValue(lineIdentifier(line)));
        eob.setStatus(ExplanationOfBenefit.ExplanationOfBenefitStatus.ACTIVE);
        boolean stay = "GHS".equals(line.actCode());
        eob.setType(new CodeableConcept(new Coding(
                CLAIM_TYPE, stay ? "institutional" : "professional", stay ? "Institutional" : "Professional")));
        eob.setUse(ExplanationOfBenefit.Use.CLAIM);
        eob.setPatient(new Reference(patientReference));
        eob.setCreatedElement(new DateTimeType(line.careDate().toString()));
        eob.setInsurer(new Reference().setDisplay("Assurance Maladie"));
        eob.setProvider(provider(line.idNatPs()));
        eob.setOutcome(ExplanationOfBenefit.RemittanceOutcome.COMPLETE);
        eob.addInsurance().setFocal(true).setCoverage(new Reference().setDisplay("Assurance maladie obligatoire"));
        ExplanationOfBenefit.ItemComponent item = eob.addItem()
                .setSequence(1)
                .setProductOrService(act(line))
                .setServiced(new DateType(line.careDate().toString()))
                .setQuantity(new Quantity(1));
        item.addAdjudication()
                .setCategory(category("submitted", "Submitted Amount"))
                .setAmount(euros(line.billed()));
        item.addAdjudication()
                .setCategory(category("benefit", "Benefit Amount"))
                .setAmount(euros(line.reimbursed()));
        eob.addTotal().setCategory(category("submitted", "Submitted Amount")).setAmount(euros(line.billed()));
        eob.addTotal().setCategory(category("benefit", "Benefit Amount")).setAmount(euros(line.reimbursed()));
        eob.getPayment().setAmount(euros(line.reimbursed()));
        return eob;
    }

    static String lineIdentifier(Reimbursement line) {
        String key = String.join(
                "|",
                line.nir(),
                line.careDate().toString(),
                line.actCode(),
                line.billed().toPlainString(),
                line.reimbursed().toPlainString(),
                line.idNatPs() == null ? "" : line.idNatPs());
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static Reference provider(@org.jspecify.annotations.Nullable String idNatPs) {
        if (idNatPs == null) {
            Reference unknown = new Reference().setDisplay("Professionnel non renseigné");
            unknown.addExtension(DATA_ABSENT_REASON, new CodeType("unknown"));
            return unknown;
        }
        Reference provider = new Reference().setType("Practitioner");
        provider.setIdentifier(
                new Identifier().setSystem(IdentifierSystems.IDNAT_PS).setValue(idNatPs));
        return provider;
    }

    private static CodeableConcept act(Reimbursement line) {
        String system = CCAM.matcher(line.actCode()).matches() ? CCAM_SYSTEM : ACT_SYSTEM;
        CodeableConcept act = new CodeableConcept(new Coding(system, line.actCode(), null));
        return line.label() == null ? act : act.setText(line.label());
    }

    private static CodeableConcept category(String code, String display) {
        return new CodeableConcept(new Coding(ADJUDICATION, code, display));
    }

    private static Money euros(BigDecimal amount) {
        Money money = new Money();
        money.setValue(amount);
        money.setCurrency("EUR");
        return money;
    }
}
