package org.carnet.identity;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.carnet.record.Change;
import org.carnet.record.Everything;
import org.carnet.record.QueryStrings;
import org.carnet.record.RecordHistory;
import org.carnet.record.RecordReads;
import org.carnet.record.RecordWrites;
import org.carnet.record.UnitLocks;
import org.carnet.record.Written;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The identity-vigilance service: INSi retrieval and verification, validation against an identity document,
 * probable duplicates and their merge and unmerge. Every change of identity status and every merge leaves an
 * AuditEvent in the same write unit.
 */
@Service
public class Identities {

    private final RecordReads vault;
    private final RecordWrites writes;
    private final RecordHistory history;
    private final Everything everything;
    private final UnitLocks locks;
    private final Insi insi;
    private final IdentityAudit audit;
    private final QueryStrings queries;
    private final Clock clock;

    Identities(
            RecordReads vault,
            RecordWrites writes,
            RecordHistory history,
            Everything everything,
            UnitLocks locks,
            QueryStrings queries,
            Insi insi,
            IdentityAudit audit,
            Clock clock) {
        this.vault = vault;
        this.writes = writes;
        this.history = history;
        this.everything = everything;
        this.locks = locks;
        this.insi = insi;
        this.audit = audit;
        this.queries = queries;
        this.clock = clock;
    }

    /** What an INSi flow did: the final answer, each query made, and the identity status afterwards. */
    public record InsiOutcome(InsiAnswer.Code answer, List<String> queries, IdentityStatus status) {}

    /**
     * Retrieves the INS by the patient's traits: first birth first name; on {@code 02} the full first-name list;
     * on {@code 02} again the birthplace. On {@code 00} the INS and INSi's reference traits are stored and the
     * status becomes RECUP (or QUAL if a document already validated the identity).
     */
    @Transactional
    public InsiOutcome retrieveIns(String patientId) {
        Patient patient = patient(patientId);
        InsiTraits traits = traitsOf(patient, false);
        List<String> queries = new ArrayList<>();
        InsiAnswer answer = insi.retrieveByTraits(traits);
        queries.add("traits:" + answer.code().value);
        List<String> names = FrCorePatient.birthFirstNames(patient);
        if (answer.code() == InsiAnswer.Code.SEVERAL && names.size() > 1) {
            traits = traits.withFirstNames(names);
            answer = insi.retrieveByTraits(traits);
            queries.add("traits+first-names:" + answer.code().value);
        }
        if (answer.code() == InsiAnswer.Code.SEVERAL
                && FrCorePatient.birthPlaceInsee(patient).isPresent()) {
            traits =
                    traits.withBirthPlace(FrCorePatient.birthPlaceInsee(patient).get());
            answer = insi.retrieveByTraits(traits);
            queries.add("traits+birthplace:" + answer.code().value);
        }
        return record(patient, answer, queries, "retrieve");
    }

    /** Retrieves the INS with a carte Vitale (the card's NIR and the beneficiary's traits). */
    @Transactional
    public InsiOutcome retrieveInsByCard(String patientId, String cardNir) {
        String nir = cardNir == null ? "" : cardNir.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        if (!nir.matches("[12]\\d{4}(\\d{2}|2A|2B)\\d{8}")) {
            throw new InvalidRequestException("Parameter cardNir is the NIR read on the carte Vitale: 15 characters"
                    + " (sex, year, month, département, commune, rank, key), spaces allowed");
        }
        Patient patient = patient(patientId);
        InsiAnswer answer = insi.retrieveByCard(cardNir, traitsOf(patient, true));
        return record(patient, answer, List.of("card:" + answer.code().value), "card");
    }

    /**
     * Verifies the stored INS against the patient's traits. {@code 00} renews the INSi date; {@code 01} makes
     * the INS {@code old} and the identity loses its INSi check.
     */
    @Transactional
    public InsiOutcome verifyIns(String patientId) {
        Patient patient = patient(patientId);
        Identifier official = FrCorePatient.officialIns(patient)
                .orElseThrow(
                        () -> new UnprocessableEntityException("Rule INS-verify failed at Patient.identifier: Patient/"
                                + patientId + " has no INS to verify"));
        Ins ins = Ins.parse(
                official.getValue(), Ins.Kind.ofOid(official.getSystem()).orElseThrow());
        InsiAnswer answer = insi.verify(ins, traitsOf(patient, true));
        FrCorePatient.Reliability r = FrCorePatient.reliability(patient);
        if (answer.code() == InsiAnswer.Code.ONE) {
            FrCorePatient.setReliability(patient, r.withInsiCheck(FrCorePatient.dateOf(clock.instant())));
        } else {
            official.setUse(Identifier.IdentifierUse.OLD);
            FrCorePatient.setReliability(patient, r.withoutInsiCheck());
        }
        write(patient, audit.insiQuery(patientId, "verify", answer.code().value));
        return new InsiOutcome(answer.code(), List.of("verify:" + answer.code().value), FrCorePatient.status(patient));
    }

    /** Records that the traits were checked against a high-trust identity document (PA, CN, AN, LE). */
    @Transactional
    public IdentityStatus validateWithDocument(String patientId, @org.jspecify.annotations.Nullable String mode) {
        if (mode == null || !FrCorePatient.HIGH_TRUST_DOCUMENTS.contains(mode)) {
            throw new InvalidRequestException("Parameter mode is the high-trust identity document checked: PA"
                    + " (passeport), CN (carte nationale d'identité), AN (extrait d'acte de naissance) or LE (livret"
                    + " de famille)");
        }
        Patient patient = patient(patientId);
        FrCorePatient.Reliability r = FrCorePatient.reliability(patient);
        if (!r.attributes().isEmpty()) {
            throw new UnprocessableEntityException("Rule INS-doubtful failed at Patient.extension[identityReliability]:"
                    + " a doubtful or fictitious identity cannot be validated; remove the attribute first");
        }
        FrCorePatient.setReliability(patient, r.withDocumentCheck(mode, FrCorePatient.dateOf(clock.instant())));
        write(patient, null);
        return FrCorePatient.status(patient);
    }

    private InsiOutcome record(Patient patient, InsiAnswer answer, List<String> queries, String query) {
        String id = patient.getIdElement().getIdPart();
        if (answer.code() == InsiAnswer.Code.ONE) {
            InsiAnswer.InsiIdentity found = answer.identity().orElseThrow();
            FrCorePatient.setOfficialIns(patient, found.ins());
            FrCorePatient.setStrictTraits(patient, found.birthName(), found.firstNames(), found.birthPlace());
            patient.setGender(
                    "M".equals(found.sex())
                            ? org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.MALE
                            : org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
            if (!found.birthDate().contains("-00")) {
                patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(found.birthDate()));
            }
            FrCorePatient.Reliability r = FrCorePatient.reliability(patient);
            FrCorePatient.setReliability(patient, r.withInsiCheck(FrCorePatient.dateOf(clock.instant())));
        }
        write(patient, audit.insiQuery(id, query, String.join(" ", queries)));
        return new InsiOutcome(answer.code(), queries, FrCorePatient.status(patient));
    }

    private InsiTraits traitsOf(Patient patient, boolean fullFirstNames) {
        String id = patient.getIdElement().getIdPart();
        FrCorePatient.Reliability reliability = FrCorePatient.reliability(patient);
        if (!reliability.attributes().isEmpty()) {
            throw new UnprocessableEntityException("Rule INS-doubtful failed at Patient.extension[identityReliability]:"
                    + " Patient/" + id + " is marked " + reliability.attributes() + "; such an identity is never sent"
                    + " to INSi");
        }
        var name = FrCorePatient.officialName(patient)
                .filter(n -> n.hasFamily())
                .orElseThrow(() -> missing(id, "the birth name (official name)"));
        List<String> firstNames = FrCorePatient.birthFirstNames(patient);
        if (firstNames.isEmpty()) {
            throw missing(id, "the birth first names");
        }
        if (!patient.hasGender()
                || !Set.of("male", "female").contains(patient.getGender().toCode())) {
            throw missing(id, "the sex (male or female)");
        }
        if (!patient.hasBirthDate()) {
            throw missing(id, "the birth date");
        }
        String date = patient.getBirthDateElement().getValueAsString();
        String full = date.length() == 4 ? date + "-00-00" : date.length() == 7 ? date + "-00" : date;
        return new InsiTraits(
                name.getFamily(),
                fullFirstNames ? firstNames : List.of(firstNames.getFirst()),
                patient.getGender().toCode().equals("male") ? "M" : "F",
                full,
                null);
    }

    private static UnprocessableEntityException missing(String id, String what) {
        return new UnprocessableEntityException(
                "Rule INSi-traits failed at Patient/" + id + ": an INSi query needs " + what);
    }

    private Patient patient(String id) {
        return (Patient) vault.read("Patient", id);
    }

    private void write(Patient patient, @org.jspecify.annotations.Nullable AuditEvent event) {
        int version = Integer.parseInt(patient.getMeta().getVersionId());
        List<Change> unit = new ArrayList<>();
        unit.add(new Change.Update(unversioned(patient), version));
        if (event != null) {
            unit.add(new Change.Create(event));
        }
        writes.apply(unit);
    }

    private static Resource unversioned(Resource resource) {
        resource.setIdElement(resource.getIdElement().toUnqualifiedVersionless());
        return resource;
    }

    // ---- identity-vigilance: duplicates, merge, unmerge ----

    /** A probable duplicate pair awaiting an identity officer. */
    public record DuplicatePair(String patientA, String patientB, List<String> reasons) {}

    /** The open probable-duplicate pairs, oldest first, optionally for one patient. */
    public List<DuplicatePair> openDuplicates(@org.jspecify.annotations.Nullable String patientId) {
        if (patientId != null) {
            patient(patientId); // 404 for a patient Carnet does not know, rather than an empty list
        }
        return DuplicateTasks.open(vault, queries, patientId);
    }

    /** Closes a pair as not a duplicate. */
    @Transactional
    public void dismissDuplicate(String a, String b) {
        close(DuplicateTasks.pair(a, b, List.of()), Task.TaskStatus.CANCELLED, true);
    }

    private void close(DuplicatePair pair, Task.TaskStatus status, boolean mustExist) {
        Task task = DuplicateTasks.find(vault, pair);
        if (task == null || task.getStatus() != Task.TaskStatus.REQUESTED) {
            if (mustExist) {
                throw new ResourceNotFoundException(
                        "No open probable-duplicate pair Patient/" + pair.patientA() + " – Patient/" + pair.patientB());
            }
            return;
        }
        task.setStatus(status);
        task.setLastModified(java.util.Date.from(clock.instant()));
        writes.apply(List.of(new Change.Update(unversioned(task), null)));
    }

    /** What a merge did. */
    public record MergeOutcome(String survivor, String merged, List<String> moved, String auditEvent) {}

    /**
     * Merges {@code mergedId} into {@code survivorId} in one write unit: every resource that refers to the merged
     * patient now refers to the survivor; the merged patient becomes inactive with a {@code replaced-by} link and
     * its identifiers {@code old}; the survivor gains a {@code replaces} link and the merged identifiers as
     * {@code old}. The AuditEvent records the versions and moved resources that {@link #unmerge} reverses.
     */
    @Transactional
    public MergeOutcome merge(String survivorId, String mergedId) {
        if (Objects.equals(survivorId, mergedId)) {
            throw new InvalidRequestException("A patient cannot be merged into itself");
        }
        locks.serializeOn("identity-merge");
        Patient survivor = patient(survivorId);
        Patient merged = patient(mergedId);
        for (Patient p : List.of(survivor, merged)) {
            if (p.getLink().stream().anyMatch(l -> l.getType() == Patient.LinkType.REPLACEDBY)) {
                throw new UnprocessableEntityException("Rule merge-once failed at Patient/"
                        + p.getIdElement().getIdPart() + ": it was already merged into another patient");
            }
        }
        var insS = FrCorePatient.officialIns(survivor).map(Identifier::getValue);
        var insM = FrCorePatient.officialIns(merged).map(Identifier::getValue);
        if (insS.isPresent() && insM.isPresent() && !insS.equals(insM)) {
            throw new UnprocessableEntityException("Rule merge-ins-conflict failed: the two patients carry different"
                    + " INS; they are two persons (a collision), not a duplicate");
        }
        int survivorVersion = Integer.parseInt(survivor.getMeta().getVersionId());
        int mergedVersion = Integer.parseInt(merged.getMeta().getVersionId());
        String from = "Patient/" + mergedId;
        String to = "Patient/" + survivorId;
        List<Change> unit = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (Resource resource : vault.load(everything.everything(mergedId))) {
            if (resource instanceof Patient
                    || resource instanceof AuditEvent
                    || DuplicateTasks.isDuplicateTask(resource)) {
                // the audit trail and the officer's worklist keep naming the patients as they were
                continue;
            }
            if (rewriteReferences(vault.fhirContext(), resource, from, to)) {
                moved.add(resource.fhirType() + "/" + resource.getIdElement().getIdPart() + "/_history/"
                        + (Integer.parseInt(resource.getMeta().getVersionId()) + 1));
                unit.add(new Change.Update(unversioned(resource), null));
            }
        }
        for (Identifier identifier : merged.getIdentifier()) {
            boolean known = survivor.getIdentifier().stream()
                    .anyMatch(i -> Objects.equals(i.getSystem(), identifier.getSystem())
                            && Objects.equals(i.getValue(), identifier.getValue()));
            if (!known) {
                survivor.addIdentifier(identifier.copy().setUse(Identifier.IdentifierUse.OLD));
            }
            identifier.setUse(Identifier.IdentifierUse.OLD);
        }
        survivor.addLink().setType(Patient.LinkType.REPLACES).setOther(new Reference(from));
        merged.setActive(false);
        merged.addLink().setType(Patient.LinkType.REPLACEDBY).setOther(new Reference(to));
        // Its INS is 'old' now: the merged record keeps its document check but can no longer claim an INSi one.
        FrCorePatient.Reliability r = FrCorePatient.reliability(merged);
        FrCorePatient.setReliability(merged, r.withoutInsiCheck());
        AuditEvent event = audit.merged(survivorId, survivorVersion, mergedId, mergedVersion, moved);
        unit.add(0, new Change.Update(unversioned(survivor), survivorVersion));
        unit.add(1, new Change.Update(unversioned(merged), mergedVersion));
        unit.add(new Change.Create(event));
        List<Written> written = writes.apply(unit);
        close(DuplicateTasks.pair(survivorId, mergedId, List.of()), Task.TaskStatus.COMPLETED, false);
        return new MergeOutcome(
                survivorId,
                mergedId,
                Collections.unmodifiableList(moved),
                written.getLast().id());
    }

    /**
     * Reverses a merge from its AuditEvent: both patients return to their versions before the merge, and every
     * moved resource refers to the restored patient again (its pre-merge content if unchanged since, else the
     * same reference rewrite in reverse).
     */
    @Transactional
    public MergeOutcome unmerge(String mergeEventId) {
        locks.serializeOn("identity-merge");
        AuditEvent event = (AuditEvent) vault.read("AuditEvent", mergeEventId);
        boolean isMerge = event.getSubtype().stream()
                .anyMatch(c -> IdentityAudit.SUBTYPES.equals(c.getSystem()) && "merge".equals(c.getCode()));
        if (!isMerge) {
            throw new UnprocessableEntityException("AuditEvent/" + mergeEventId + " does not record a merge");
        }
        String survivorId = null;
        String mergedId = null;
        int survivorVersion = 0;
        int mergedVersion = 0;
        List<String> moved = new ArrayList<>();
        for (var entity : event.getEntity()) {
            String reference = entity.getWhat().getReference();
            switch (entity.getName() == null ? "" : entity.getName()) {
                case "survivor" -> {
                    survivorId = reference.substring("Patient/".length());
                    survivorVersion = Integer.parseInt(
                            entity.getDetailFirstRep().getValue().primitiveValue());
                }
                case "merged" -> {
                    mergedId = reference.substring("Patient/".length());
                    mergedVersion = Integer.parseInt(
                            entity.getDetailFirstRep().getValue().primitiveValue());
                }
                case "moved" -> moved.add(reference);
                default -> {}
            }
        }
        if (survivorId == null || mergedId == null) {
            throw new UnprocessableEntityException("AuditEvent/" + mergeEventId + " lacks the merged patients");
        }
        Patient merged = patient(mergedId);
        if (merged.getLink().stream().noneMatch(l -> l.getType() == Patient.LinkType.REPLACEDBY)) {
            throw new UnprocessableEntityException("Rule unmerge-once failed: Patient/" + mergedId
                    + " is not merged any more (the merge was already reversed)");
        }
        String from = "Patient/" + survivorId;
        String to = "Patient/" + mergedId;
        List<Change> unit = new ArrayList<>();
        Patient survivorBefore = (Patient) history.vread("Patient", survivorId, survivorVersion);
        Patient survivorNow = patient(survivorId);
        Patient restoredSurvivor = restoreSurvivor(survivorNow, survivorBefore, to);
        unit.add(new Change.Update(unversioned(restoredSurvivor), null));
        Patient mergedBefore = (Patient) history.vread("Patient", mergedId, mergedVersion);
        unit.add(new Change.Update(unversioned(mergedBefore), null));
        for (String versioned : moved) {
            String[] p = versioned.split("/");
            Resource current = vault.read(p[0], p[1]);
            int mergeVersion = Integer.parseInt(p[3]);
            Resource restored;
            if (Integer.parseInt(current.getMeta().getVersionId()) == mergeVersion) {
                restored = history.vread(p[0], p[1], mergeVersion - 1);
            } else {
                restored = current;
                rewriteReferences(vault.fhirContext(), restored, from, to);
            }
            unit.add(new Change.Update(unversioned(restored), null));
        }
        unit.add(new Change.Create(audit.unmerged(survivorId, mergedId, mergeEventId)));
        List<Written> written = writes.apply(unit);
        return new MergeOutcome(survivorId, mergedId, moved, written.getLast().id());
    }

    /** The survivor as it is now, less the link and the identifiers the merge gave it. */
    private static Patient restoreSurvivor(Patient now, Patient before, String mergedReference) {
        now.getLink()
                .removeIf(l -> l.getType() == Patient.LinkType.REPLACES
                        && mergedReference.equals(l.getOther().getReference()));
        now.getIdentifier()
                .removeIf(i -> i.getUse() == Identifier.IdentifierUse.OLD
                        && before.getIdentifier().stream()
                                .noneMatch(b -> Objects.equals(b.getSystem(), i.getSystem())
                                        && Objects.equals(b.getValue(), i.getValue())));
        return now;
    }

    /** Points every reference to {@code from} at {@code to}; true if any changed. */
    static boolean rewriteReferences(FhirContext context, Resource resource, String from, String to) {
        boolean changed = false;
        for (Reference reference : context.newTerser().getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            if (from.equals(reference.getReference())) {
                reference.setReference(to);
                changed = true;
            }
        }
        return changed;
    }
}
