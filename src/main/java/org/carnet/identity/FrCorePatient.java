package org.carnet.identity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * How a Patient carries the French identity in FHIR, as FR Core defines it: the INS identifier slices, the
 * official (birth) name with the full birth first-name list, the birthplace INSEE code and the
 * identity-reliability extension. Carnet's mapping of the four RNIV statuses onto that extension (ADR 0007):
 *
 * <ul>
 *   <li>INSi check: an INS identifier with {@code use = official} and {@code methodCollection = INSI},
 *       {@code dateCollection} being the date of the INSi query;
 *   <li>document check: {@code validationMode} (a high-trust document: PA, CN, AN, LE) and {@code validationDate};
 *   <li>{@code identityStatus} is {@code VALI} when both checks are done (FR Core conveys the INS only for a
 *       qualified identity) and {@code PROV} otherwise;
 *   <li>the attributes doubtful and fictitious are a second extension whose {@code identityStatus} is
 *       {@code DOUT} or {@code FICT}.
 * </ul>
 */
public final class FrCorePatient {

    public static final String PROFILE_INS = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-ins";
    public static final String RELIABILITY =
            "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability";
    public static final String BIRTH_LIST_GIVEN_NAME =
            "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient-birth-list-given-name";
    public static final String BIRTH_PLACE = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace";
    public static final String INSEE_CODE =
            "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code";
    public static final String INSEE_SYSTEM = "https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM";
    public static final String STATUS_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445";
    public static final String METHOD_SYSTEM = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-method-collection";
    public static final String MODE_SYSTEM =
            "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-mode-validation-identity";

    /** The high-trust identity documents that validate an identity (FR Core's INS validation modes). */
    public static final Set<String> HIGH_TRUST_DOCUMENTS = Set.of("PA", "CN", "AN", "LE");
    /** Ways traits are collected. */
    static final Set<String> METHODS = Set.of("SM", "CV", "INSI", "CB", "RFID");
    /** Every validation mode FR Core knows (the lower-trust ones do not make an identity validated). */
    static final Set<String> MODES =
            Set.of("AN", "CC", "CE", "CM", "CN", "CS", "LE", "PA", "PC", "TC", "DC", "AC", "IE");

    private static final java.util.regex.Pattern INSEE_COMMUNE =
            java.util.regex.Pattern.compile("(\\d{2}|2A|2B)\\d{3}");

    /** Whether a code has the shape of an INSEE commune code: 5 characters, 2A/2B for Corsica, 99xxx abroad. */
    public static boolean isInseeCode(String code) {
        return code != null && INSEE_COMMUNE.matcher(code).matches();
    }

    /** The identity attributes that keep an identity provisional and out of INSi. */
    public enum Attribute {
        DOUT,
        FICT
    }

    /** What the identity-reliability extensions of a Patient say. */
    public record Reliability(
            @org.jspecify.annotations.Nullable String identityStatus,
            @org.jspecify.annotations.Nullable String methodCollection,
            @org.jspecify.annotations.Nullable String dateCollection,
            @org.jspecify.annotations.Nullable String validationMode,
            @org.jspecify.annotations.Nullable String validationDate,
            Set<Attribute> attributes) {

        boolean insiChecked() {
            return "INSI".equals(methodCollection);
        }

        boolean documentChecked() {
            return validationMode != null && HIGH_TRUST_DOCUMENTS.contains(validationMode);
        }

        /** The same, with the INS retrieved or verified through INSi on {@code date}. */
        public Reliability withInsiCheck(String date) {
            return new Reliability(null, "INSI", date, validationMode, validationDate, attributes);
        }

        /** The same, without the INSi check (the INS was not confirmed, or is no longer current). */
        public Reliability withoutInsiCheck() {
            return new Reliability(null, null, null, validationMode, validationDate, attributes);
        }

        /** The same, with the traits checked on an identity document of this {@code mode} on {@code date}. */
        public Reliability withDocumentCheck(String mode, String date) {
            return new Reliability(null, methodCollection, dateCollection, mode, date, attributes);
        }
    }

    private FrCorePatient() {}

    /** The RNIV status of a Patient as stored (INSi check only counts with an official INS identifier). */
    public static IdentityStatus status(Patient patient) {
        Reliability reliability = reliability(patient);
        return IdentityStatus.of(
                reliability.insiChecked() && officialIns(patient).isPresent(), reliability.documentChecked());
    }

    /** The Patient's doubtful / fictitious attributes. */
    public static Set<Attribute> attributes(Patient patient) {
        return reliability(patient).attributes();
    }

    /** The official INS identifier (NIR, NIA, test or demo), if any, unparsed. */
    public static Optional<Identifier> officialIns(Patient patient) {
        return patient.getIdentifier().stream()
                .filter(i -> Ins.Kind.ofOid(i.getSystem()).isPresent())
                .filter(i -> i.getUse() == Identifier.IdentifierUse.OFFICIAL)
                .filter(i -> !"NH".equals(typeCode(i)))
                .findFirst();
    }

    /** The FR Core identifier type of an INS of this register. */
    public static String typeOf(Ins.Kind kind) {
        return switch (kind) {
            case NIR -> "INS-NIR";
            case NIA -> "INS-NIA";
            case NIR_TEST -> "INS-NIR-TEST";
            case NIR_DEMO -> "INS-NIR-DEMO";
        };
    }

    static @org.jspecify.annotations.Nullable String typeCode(Identifier identifier) {
        return identifier.getType().getCoding().stream()
                .filter(c -> IdentifierSystems.FR_CORE_ID_TYPE.equals(c.getSystem()) || c.getSystem() == null)
                .map(Coding::getCode)
                .findFirst()
                .orElse(null);
    }

    /** Reads every identity-reliability extension of a Patient. */
    public static Reliability reliability(Patient patient) {
        String status = null;
        String method = null;
        String collected = null;
        String mode = null;
        String validated = null;
        Set<Attribute> attributes = java.util.EnumSet.noneOf(Attribute.class);
        for (Extension extension : patient.getExtensionsByUrl(RELIABILITY)) {
            String code = code(extension, "identityStatus");
            if (code != null && ("DOUT".equals(code) || "FICT".equals(code))) {
                attributes.add(Attribute.valueOf(code));
                continue;
            }
            status = code == null ? status : code;
            method = firstNonNull(code(extension, "methodCollection"), method);
            collected = firstNonNull(date(extension, "dateCollection"), collected);
            mode = firstNonNull(code(extension, "validationMode"), mode);
            validated = firstNonNull(date(extension, "validationDate"), validated);
        }
        return new Reliability(status, method, collected, mode, validated, Set.copyOf(attributes));
    }

    /** Writes the reliability extensions so that they say exactly {@code reliability} (see the class mapping). */
    public static void setReliability(Patient patient, Reliability reliability) {
        patient.getExtension().removeIf(e -> RELIABILITY.equals(e.getUrl()));
        Extension main = patient.addExtension().setUrl(RELIABILITY);
        boolean qualified = "INSI".equals(reliability.methodCollection())
                && reliability.validationMode() != null
                && HIGH_TRUST_DOCUMENTS.contains(reliability.validationMode())
                && reliability.attributes().isEmpty();
        main.addExtension("identityStatus", new Coding(STATUS_SYSTEM, qualified ? "VALI" : "PROV", null));
        if (reliability.methodCollection() != null) {
            main.addExtension("methodCollection", new Coding(METHOD_SYSTEM, reliability.methodCollection(), null));
        }
        if (reliability.dateCollection() != null) {
            main.addExtension("dateCollection", new DateType(reliability.dateCollection()));
        }
        if (reliability.validationMode() != null) {
            main.addExtension("validationMode", new Coding(MODE_SYSTEM, reliability.validationMode(), null));
        }
        if (reliability.validationDate() != null) {
            main.addExtension("validationDate", new DateType(reliability.validationDate()));
        }
        for (Attribute attribute : reliability.attributes()) {
            patient.addExtension()
                    .setUrl(RELIABILITY)
                    .addExtension("identityStatus", new Coding(STATUS_SYSTEM, attribute.name(), null));
        }
    }

    /** The official (birth) name, if any. */
    public static Optional<HumanName> officialName(Patient patient) {
        return patient.getName().stream()
                .filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL)
                .findFirst();
    }

    /** The full list of birth first names: the FR Core extension, else the given names of the official name. */
    public static List<String> birthFirstNames(Patient patient) {
        return officialName(patient)
                .map(name -> {
                    Extension list = name.getExtensionByUrl(BIRTH_LIST_GIVEN_NAME);
                    if (list != null && list.getValue() instanceof StringType s && s.hasValue()) {
                        return List.of(s.getValue().trim().split("\\s+"));
                    }
                    return name.getGiven().stream().map(StringType::getValue).toList();
                })
                .orElse(List.of());
    }

    /** The birthplace's INSEE code, if given. */
    public static Optional<String> birthPlaceInsee(Patient patient) {
        Extension place = patient.getExtensionByUrl(BIRTH_PLACE);
        if (place == null || !(place.getValue() instanceof Address address)) {
            return Optional.empty();
        }
        Extension insee = address.getExtensionByUrl(INSEE_CODE);
        return insee != null && insee.getValue() instanceof Coding coding && coding.hasCode()
                ? Optional.of(coding.getCode())
                : Optional.empty();
    }

    /**
     * Writes the strict traits FR Core expects on an INS patient: the official name with its first given name
     * and the full first-name list, and the birthplace INSEE code (the city name is kept if already there).
     */
    public static void setStrictTraits(
            Patient patient,
            String birthName,
            List<String> firstNames,
            @org.jspecify.annotations.Nullable String insee) {
        HumanName official = officialName(patient).orElseGet(() -> {
            HumanName name = new HumanName().setUse(HumanName.NameUse.OFFICIAL);
            patient.getName().addFirst(name);
            return name;
        });
        official.setFamily(birthName);
        official.setGiven(new ArrayList<>());
        official.addGiven(firstNames.getFirst());
        official.getExtension().removeIf(e -> BIRTH_LIST_GIVEN_NAME.equals(e.getUrl()));
        official.addExtension(BIRTH_LIST_GIVEN_NAME, new StringType(String.join(" ", firstNames)));
        if (insee != null) {
            setBirthPlace(patient, insee, null);
        }
    }

    /** Sets the birthplace's INSEE code (and the commune's name, when given), keeping the rest of the address. */
    public static void setBirthPlace(Patient patient, String insee, @org.jspecify.annotations.Nullable String city) {
        Extension place = patient.getExtensionByUrl(BIRTH_PLACE);
        Address address = place != null && place.getValue() instanceof Address a ? a : new Address().setCountry("FR");
        address.getExtension().removeIf(e -> INSEE_CODE.equals(e.getUrl()));
        address.addExtension(INSEE_CODE, new Coding(INSEE_SYSTEM, insee, city));
        if (city != null) {
            address.setCity(city);
        }
        if (place == null) {
            patient.addExtension(BIRTH_PLACE, address);
        }
    }

    /** Sets the official INS identifier, turning any earlier official INS into {@code old}. */
    public static void setOfficialIns(Patient patient, Ins ins) {
        for (Identifier identifier : patient.getIdentifier()) {
            if (Ins.Kind.ofOid(identifier.getSystem()).isPresent()
                    && identifier.getUse() == Identifier.IdentifierUse.OFFICIAL
                    && !"NH".equals(typeCode(identifier))
                    && !ins.matricule().equals(identifier.getValue())) {
                identifier.setUse(Identifier.IdentifierUse.OLD);
            }
        }
        Optional<Identifier> same = patient.getIdentifier().stream()
                .filter(i -> ("urn:oid:" + ins.kind().oid).equals(i.getSystem())
                        && ins.matricule().equals(i.getValue()))
                .findFirst();
        Identifier identifier = same.orElseGet(patient::addIdentifier);
        identifier
                .setUse(Identifier.IdentifierUse.OFFICIAL)
                .setSystem("urn:oid:" + ins.kind().oid)
                .setValue(ins.matricule());
        identifier
                .getType()
                .setCoding(new ArrayList<>(
                        List.of(new Coding(IdentifierSystems.FR_CORE_ID_TYPE, typeOf(ins.kind()), null))));
    }

    /**
     * The Patient as it may leave Carnet: unless its identity is qualified, every INS identifier is removed
     * (RNIV: only a qualified identity shares its matricule). The billing NIR ({@code NH}) is not an INS.
     */
    public static Patient forSharing(Patient patient) {
        Patient copy = patient.copy();
        if (!status(patient).sharesMatricule()) {
            copy.getIdentifier().removeIf(i -> Ins.Kind.ofOid(i.getSystem()).isPresent() && !"NH".equals(typeCode(i)));
        }
        return copy;
    }

    /** The date (Paris time) of an instant, as a reliability extension records it. */
    static String dateOf(Instant instant) {
        return instant.atZone(java.time.ZoneId.of("Europe/Paris")).toLocalDate().toString();
    }

    private static @org.jspecify.annotations.Nullable String code(Extension parent, String url) {
        Extension child = parent.getExtensionByUrl(url);
        if (child == null) {
            return null;
        }
        if (child.getValue() instanceof Coding coding) {
            return coding.getCode();
        }
        if (child.getValue() instanceof org.hl7.fhir.r4.model.CodeableConcept concept && concept.hasCoding()) {
            return concept.getCodingFirstRep().getCode();
        }
        return child.getValue() == null ? null : child.getValue().primitiveValue();
    }

    private static @org.jspecify.annotations.Nullable String date(Extension parent, String url) {
        Extension child = parent.getExtensionByUrl(url);
        return child == null || child.getValue() == null
                ? null
                : child.getValue().primitiveValue();
    }

    private static <T> @org.jspecify.annotations.Nullable T firstNonNull(
            @org.jspecify.annotations.Nullable T a, @org.jspecify.annotations.Nullable T b) {
        return a != null ? a : b;
    }
}
