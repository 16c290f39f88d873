package org.carnet.identity;

/** The identifier and code systems of French health identities, as FHIR system URIs, in one place. */
public final class IdentifierSystems {

    /** IdNat_PS: national professional id ({@code 8} + RPPS, {@code 0} + ADELI). */
    public static final String IDNAT_PS = "urn:oid:1.2.250.1.71.4.2.1";
    /** The RPPS number alone. */
    public static final String RPPS = "https://rpps.esante.gouv.fr";
    /** FINESS numbers of establishments. */
    public static final String FINESS = "http://finess.sante.gouv.fr";
    /** FR Core identifier types ({@code INS-NIR}, {@code INS-NIA}, {@code NH}, ...). */
    public static final String FR_CORE_ID_TYPE = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203";
    /** Health professions (TRE_G15). */
    public static final String PROFESSION =
            "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante";
    /** Ordinal specialties (TRE_R38). */
    public static final String SPECIALTY =
            "https://mos.esante.gouv.fr/NOS/TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale";

    private IdentifierSystems() {}
}
