package org.carnet.identity;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.carnet.record.Change;
import org.carnet.record.RecordReads;
import org.carnet.record.RecordWrites;
import org.carnet.record.Written;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Imports the public RPPS "personne-activité" extraction into Practitioner, PractitionerRole and
 * Organization. Streaming (a batch of lines at a time; memory grows only by a few bytes per professional), idempotent
 * (every resource has an id derived from its national identifiers, and re-sending identical data writes
 * nothing), and tolerant: a malformed line is reported with its number and reason and never stops the import
 * nor loses the good lines.
 *
 * <p>A professional appears once per activity. When two of their lines disagree on the person (name, first name,
 * civility, civility of practice), the first line's person is kept and the disagreement is reported with both line
 * numbers: the extraction is the national directory's, Carnet cannot tell which line is right.
 */
@Component
class DirectoryImport {

    static final String IDNAT_PS = IdentifierSystems.IDNAT_PS;
    static final String RPPS = IdentifierSystems.RPPS;
    static final String FINESS = IdentifierSystems.FINESS;
    static final String SIRET = "https://sirene.fr/siret";
    static final String STRUCTURE = "https://annuaire.sante.fr/structure";
    static final String PROFESSION = IdentifierSystems.PROFESSION;
    static final String SKILL = IdentifierSystems.SPECIALTY;
    private static final int BATCH = 1000;
    private static final int KEPT_REJECTIONS = 1000;

    private final RecordReads vault;
    private final RecordWrites writes;

    DirectoryImport(RecordReads vault, RecordWrites writes) {
        this.vault = vault;
        this.writes = writes;
    }

    /** A line that was not imported. */
    public record Rejected(
            long line, @org.jspecify.annotations.Nullable String reason) {}

    /**
     * An activity line whose person disagrees with an earlier line of the same professional; its activity is
     * imported, its person is not (the earlier line's stays).
     *
     * @param what the fields that disagree, e.g. {@code "name"}, {@code "civility"}
     */
    public record Conflict(long line, long firstLine, String idNat, String what) {

        @Override
        public String toString() {
            return "line " + line + ": professional " + idNat + " has another " + what + " than on line " + firstLine
                    + " (line " + firstLine + "'s kept)";
        }
    }

    /**
     * What an import did.
     *
     * @param rejections the first 1,000 rejected lines (all are counted in {@code rejected})
     * @param conflicts the first 1,000 person conflicts (all are counted in {@code conflicted})
     */
    public record Report(
            long lines,
            long imported,
            long rejected,
            long written,
            long unchanged,
            List<Rejected> rejections,
            long conflicted,
            List<Conflict> conflicts,
            Deactivation deactivation) {

        public Report {
            rejections = List.copyOf(rejections);
            conflicts = List.copyOf(conflicts);
        }

        /** Whether every line was imported as it is: nothing rejected, no professional's lines disagreeing. */
        public boolean clean() {
            return rejected == 0 && conflicted == 0;
        }
    }

    /**
     * Professionals and activities absent from this extraction, made inactive (an extraction is the whole
     * directory). When more than half of the directory would go, nothing is deactivated and {@code skipped} says
     * why: such a file is more likely truncated than a true picture.
     */
    public record Deactivation(
            long practitioners,
            long roles,
            @org.jspecify.annotations.Nullable String skipped) {}

    /** Progress so far: lines read and lines rejected. */
    public record Progress(long lines, long rejected) {}

    public Report importFile(Path file, Consumer<Progress> progress) throws IOException {
        Counts counts = new Counts();
        SeenIds seen = new SeenIds();
        Persons persons = new Persons();
        List<RppsLine> batch = new ArrayList<>(BATCH);
        List<Long> batchLines = new ArrayList<>(BATCH);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (number == 1 && RppsLine.isHeader(line.replace("\uFEFF", ""))) {
                    int named = RppsLine.fieldCount(line);
                    if (named != RppsLine.FIELDS) {
                        throw new IOException("the header names " + named + " fields where the RPPS personne-activité"
                                + " extraction has " + RppsLine.FIELDS
                                + ": not that extraction, or another version of it");
                    }
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                counts.lines++;
                try {
                    RppsLine parsed = RppsLine.parse(line);
                    Conflict conflict = persons.check(parsed, number);
                    if (conflict != null) {
                        counts.conflict(conflict);
                        parsed = parsed.withoutPerson();
                    }
                    batch.add(parsed);
                    batchLines.add(number);
                    seen.add(practitionerId(parsed));
                    seen.add(roleId(parsed));
                } catch (RppsLine.Malformed e) {
                    counts.reject(number, e.getMessage());
                }
                if (batch.size() == BATCH) {
                    write(batch, batchLines, counts);
                    progress.accept(new Progress(counts.lines, counts.rejected));
                }
            }
        }
        write(batch, batchLines, counts);
        progress.accept(new Progress(counts.lines, counts.rejected));
        Deactivation deactivation = counts.lines == counts.rejected
                ? new Deactivation(0, 0, "no line was imported")
                : deactivateAbsent(seen);
        return new Report(
                counts.lines,
                counts.lines - counts.rejected,
                counts.rejected,
                counts.written,
                counts.unchanged,
                counts.rejections,
                counts.conflicted,
                counts.conflicts,
                deactivation);
    }

    private Deactivation deactivateAbsent(SeenIds seen) {
        List<String> practitioners = absent("Practitioner", "pp-", seen);
        List<String> roles = absent("PractitionerRole", "ro-", seen);
        long[] total = {0};
        vault.forEachId("PractitionerRole", "ro-", id -> total[0]++);
        if (total[0] > 0 && roles.size() * 2L > total[0]) {
            return new Deactivation(
                    0,
                    0,
                    roles.size() + " of " + total[0] + " activities are absent from this file:"
                            + " it looks truncated, so nothing was deactivated");
        }
        long practitionersDone = deactivate("Practitioner", practitioners);
        long rolesDone = deactivate("PractitionerRole", roles);
        return new Deactivation(practitionersDone, rolesDone, null);
    }

    /** The imported resources of a type this extraction did not mention (ids only; few in a monthly update). */
    private List<String> absent(String type, String prefix, SeenIds seen) {
        List<String> absent = new ArrayList<>();
        vault.forEachId(type, prefix, id -> {
            if (!seen.contains(id)) {
                absent.add(id);
            }
        });
        return absent;
    }

    private long deactivate(String type, List<String> ids) {
        long done = 0;
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<Change> changes = new ArrayList<>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + BATCH))) {
                Resource resource = vault.read(type, id);
                boolean active =
                        resource instanceof Practitioner p ? p.getActive() : ((PractitionerRole) resource).getActive();
                if (!active) {
                    continue;
                }
                if (resource instanceof Practitioner p) {
                    p.setActive(false);
                } else {
                    ((PractitionerRole) resource).setActive(false);
                }
                resource.setIdElement(resource.getIdElement().toUnqualifiedVersionless());
                changes.add(new Change.Update(resource, null));
            }
            if (!changes.isEmpty()) {
                done += writes.apply(changes).stream().filter(Written::changed).count();
            }
        }
        return done;
    }

    /** Writes a batch in one unit; if the unit is refused, line by line, so only the bad lines are lost. */
    private void write(List<RppsLine> batch, List<Long> numbers, Counts counts) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            counts.count(writes.apply(changes(batch)));
        } catch (RuntimeException unitRefused) {
            for (int i = 0; i < batch.size(); i++) {
                try {
                    counts.count(writes.apply(changes(List.of(batch.get(i)))));
                } catch (RuntimeException e) {
                    counts.reject(numbers.get(i), e.getMessage());
                }
            }
        }
        batch.clear();
        numbers.clear();
    }

    private static List<Change> changes(List<RppsLine> lines) {
        // A professional appears once per activity: one Practitioner and one Organization per batch, in order.
        Map<String, Resource> resources = new LinkedHashMap<>();
        for (RppsLine line : lines) {
            Practitioner practitioner = practitioner(line);
            // The professional's first line in the batch gives the person; a conflicting line gives none.
            if (line.carriesPerson()) {
                resources.putIfAbsent(
                        "Practitioner/" + practitioner.getIdElement().getIdPart(), practitioner);
            }
            Organization organization = line.structureId().isEmpty() ? null : organization(line);
            if (organization != null) {
                resources.put("Organization/" + organization.getIdElement().getIdPart(), organization);
            }
            PractitionerRole role = role(line, practitioner, organization);
            resources.put("PractitionerRole/" + role.getIdElement().getIdPart(), role);
        }
        List<Change> changes = new ArrayList<>();
        resources.values().forEach(r -> changes.add(new Change.Update(r, null)));
        return changes;
    }

    private static Practitioner practitioner(RppsLine line) {
        Practitioner practitioner = new Practitioner();
        practitioner.setId(practitionerId(line));
        practitioner.setActive(true);
        // FR Core's slices: idNatPs (type IDNPS) and rpps (type RPPS, system https://rpps.esante.gouv.fr). ADELI has a
        // type but no system URI of its own in FR Core or the ANS terminologies: its number goes without a system
        // rather than under an invented one (its IdNat_PS, "0" + ADELI, is the identifier that carries a system).
        practitioner
                .addIdentifier()
                .setType(idType("IDNPS", "Identifiant National de Professionnel de Santé"))
                .setSystem(IDNAT_PS)
                .setValue(line.idNat());
        if ("8".equals(line.idType())) {
            practitioner
                    .addIdentifier()
                    .setType(idType("RPPS", "N° RPPS"))
                    .setSystem(RPPS)
                    .setValue(line.id());
        } else {
            practitioner.addIdentifier().setType(idType("ADELI", "N° ADELI")).setValue(line.id());
        }
        var name = practitioner.addName().setFamily(line.family());
        if (!line.given().isEmpty()) {
            name.addGiven(line.given());
        }
        switch (line.practiceTitle()) {
            case "DR" -> name.addPrefix("Dr");
            case "PR" -> name.addPrefix("Pr");
            default -> {}
        }
        switch (line.civility()) {
            case "M" -> practitioner.setGender(Enumerations.AdministrativeGender.MALE);
            case "MME" -> practitioner.setGender(Enumerations.AdministrativeGender.FEMALE);
            default -> {}
        }
        practitioner.setActive(true);
        practitioner
                .addQualification()
                .setCode(new CodeableConcept(new Coding(PROFESSION, line.professionCode(), line.professionLabel())));
        return practitioner;
    }

    private static CodeableConcept idType(String code, String display) {
        return new CodeableConcept(new Coding(IdentifierSystems.FR_CORE_ID_TYPE, code, display));
    }

    private static Organization organization(RppsLine line) {
        Organization organization = new Organization();
        organization.setId(stableId("st", line.structureId()));
        organization.addIdentifier().setSystem(STRUCTURE).setValue(line.structureId());
        if (!line.finessSite().isEmpty()) {
            organization.addIdentifier().setSystem(FINESS).setValue(line.finessSite());
        }
        if (!line.siret().isEmpty()) {
            organization.addIdentifier().setSystem(SIRET).setValue(line.siret());
        }
        organization.setActive(true).setName(line.structureName().isEmpty() ? null : line.structureName());
        if (!line.city().isEmpty() || !line.postalCode().isEmpty()) {
            String street = String.join(" ", List.of(line.streetNumber(), line.streetType(), line.streetName()))
                    .trim()
                    .replaceAll("\\s+", " ");
            var address = organization
                    .addAddress()
                    .setUse(org.hl7.fhir.r4.model.Address.AddressUse.WORK)
                    .setPostalCode(line.postalCode().isEmpty() ? null : line.postalCode())
                    .setCity(line.city().isEmpty() ? null : line.city());
            if (!street.isEmpty()) {
                address.addLine(street);
            }
        }
        if (!line.phone().isEmpty()) {
            organization
                    .addTelecom()
                    .setSystem(ContactPoint.ContactPointSystem.PHONE)
                    .setValue(line.phone());
        }
        if (!line.email().isEmpty()) {
            organization
                    .addTelecom()
                    .setSystem(ContactPoint.ContactPointSystem.EMAIL)
                    .setValue(line.email());
        }
        return organization;
    }

    private static PractitionerRole role(
            RppsLine line, Practitioner practitioner, @org.jspecify.annotations.Nullable Organization organization) {
        PractitionerRole role = new PractitionerRole();
        role.setId(roleId(line));
        role.setActive(true);
        role.setPractitioner(
                new Reference("Practitioner/" + practitioner.getIdElement().getIdPart()));
        if (organization != null) {
            role.setOrganization(
                    new Reference("Organization/" + organization.getIdElement().getIdPart()));
        }
        role.addCode(new CodeableConcept(new Coding(PROFESSION, line.professionCode(), line.professionLabel())));
        if ("S".equals(line.skillType()) && !line.skillCode().isEmpty()) {
            role.addSpecialty(new CodeableConcept(new Coding(SKILL, line.skillCode(), line.skillLabel())));
        }
        return role;
    }

    private static String practitionerId(RppsLine line) {
        return stableId("pp", line.idNat());
    }

    private static String roleId(RppsLine line) {
        return stableId(
                "ro",
                String.join(
                        "|",
                        line.idNat(),
                        line.structureId(),
                        line.professionCode(),
                        line.skillCode(),
                        line.practiceMode()));
    }

    /** A stable FHIR id for a key such as a national identifier (valid id characters, ≤ 64). */
    static String stableId(String prefix, String key) {
        return prefix + "-" + UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Counts {
        long lines;
        long rejected;
        long written;
        long unchanged;
        long conflicted;
        final List<Rejected> rejections = new ArrayList<>();
        final List<Conflict> conflicts = new ArrayList<>();

        void reject(long line, @org.jspecify.annotations.Nullable String reason) {
            rejected++;
            if (rejections.size() < KEPT_REJECTIONS) {
                rejections.add(new Rejected(line, reason));
            }
        }

        void conflict(Conflict conflict) {
            conflicted++;
            if (conflicts.size() < KEPT_REJECTIONS) {
                conflicts.add(conflict);
            }
        }

        void count(List<Written> results) {
            for (Written result : results) {
                if (result.changed()) {
                    written++;
                } else {
                    unchanged++;
                }
            }
        }
    }

    /**
     * The person each professional's first line gave, as digests in an open-addressing table (20 bytes a slot, load
     * ≤ 0.5: tens of megabytes for the whole national directory), to find lines that disagree with it. A digest
     * collision can hide a disagreement (about one in four billion), never invent one.
     */
    static final class Persons {

        private long[] keys = new long[1 << 16];
        private long[] digests = new long[1 << 16];
        private long[] firstLines = new long[1 << 16];
        private int size;

        /** The conflict this line's person makes with the professional's first line, or null. */
        @org.jspecify.annotations.Nullable
        Conflict check(RppsLine line, long number) {
            long key = Long.parseLong(line.idNat()) + 1; // 0 marks an empty slot; an IdNat_PS is 10 to 12 digits
            int name = (line.family() + "|" + line.given()).hashCode();
            int civility = (line.civility() + "|" + line.practiceTitle()).hashCode();
            long digest = ((long) name << 32) | (civility & 0xFFFFFFFFL);
            if ((size + 1) * 2 > keys.length) {
                grow();
            }
            int mask = keys.length - 1;
            for (int i = index(key, mask); ; i = (i + 1) & mask) {
                if (keys[i] == 0) {
                    keys[i] = key;
                    digests[i] = digest;
                    firstLines[i] = number;
                    size++;
                    return null;
                }
                if (keys[i] == key) {
                    if (digests[i] == digest) {
                        return null;
                    }
                    boolean otherName = (int) (digests[i] >>> 32) != name;
                    boolean otherCivility = (int) digests[i] != civility;
                    String what = otherName && otherCivility ? "name and civility" : otherName ? "name" : "civility";
                    return new Conflict(number, firstLines[i], line.idNat(), what);
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldDigests = digests;
            long[] oldLines = firstLines;
            keys = new long[oldKeys.length * 2];
            digests = new long[oldKeys.length * 2];
            firstLines = new long[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != 0) {
                    int i = index(oldKeys[j], mask);
                    while (keys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    digests[i] = oldDigests[j];
                    firstLines[i] = oldLines[j];
                }
            }
        }

        private static int index(long key, int mask) {
            long mixed = key * 0x9E3779B97F4A7C15L;
            return (int) (mixed ^ (mixed >>> 32)) & mask;
        }
    }
}
