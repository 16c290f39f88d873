package org.carnet.record;

import java.util.List;
import java.util.Set;

/**
 * What one caller may see and change in the store, as data the store compiles into the {@code where} clause of
 * every query it runs for that caller (ARCHITECTURE.md decision 5): searches, counts, includes, history,
 * {@code $everything}, reads and writes. Nothing is filtered after the fact, so a hidden resource leaves no trace in
 * a count, a link or an error. The access module builds it; the store only applies it.
 *
 * @param unrestricted sees and changes everything (platform-internal work and trusted system clients)
 * @param sharedTypes the types readable among resources that belong to no patient (the directory)
 * @param writableSharedTypes the subset of those the caller may create, update or delete
 * @param grants the patients' records the caller may see, each with its own limits
 */
public record Visibility(
        boolean unrestricted, Set<String> sharedTypes, Set<String> writableSharedTypes, List<Grant> grants) {

    /** Everything, for the platform's own work. Never built from a request. */
    public static final Visibility UNRESTRICTED = new Visibility(true, Set.of(), Set.of(), List.of());

    /** Nothing at all. */
    public static final Visibility NOTHING = new Visibility(false, Set.of(), Set.of(), List.of());

    public Visibility {
        sharedTypes = Set.copyOf(sharedTypes);
        writableSharedTypes = Set.copyOf(writableSharedTypes);
        grants = List.copyOf(grants.stream()
                .filter(g -> g.patients() == null || !g.patients().isEmpty())
                .toList());
    }

    /**
     * Part of some patients' records.
     *
     * @param patients the patients (ids) this grant opens, or null for every patient (identity-vigilance work)
     * @param types the resource types visible, or null for every type
     * @param documentTypes the DocumentReference {@code type} codes visible, or null for every document type
     * @param excludedDocumentTypes DocumentReference {@code type} codes hidden even so
     * @param hiddenLabels security labels ({@code meta.security} codes) that hide a resource
     * @param exemptAuthors Practitioner ids whose own authored resources stay visible despite a hidden label
     * @param writable whether the caller may also write in these records (within {@code types})
     * @param readOnlyTypes types the caller sees but may never write here (a professional and the identity resources)
     */
    public record Grant(
            @org.jspecify.annotations.Nullable Set<String> patients,
            @org.jspecify.annotations.Nullable Set<String> types,
            @org.jspecify.annotations.Nullable Set<String> documentTypes,
            Set<String> excludedDocumentTypes,
            Set<String> hiddenLabels,
            Set<String> exemptAuthors,
            boolean writable,
            Set<String> readOnlyTypes) {

        public Grant {
            patients = patients == null ? null : Set.copyOf(patients);
            types = types == null ? null : Set.copyOf(types);
            documentTypes = documentTypes == null ? null : Set.copyOf(documentTypes);
            excludedDocumentTypes = Set.copyOf(excludedDocumentTypes);
            hiddenLabels = Set.copyOf(hiddenLabels);
            exemptAuthors = Set.copyOf(exemptAuthors);
            readOnlyTypes = Set.copyOf(readOnlyTypes);
        }

        boolean allowsType(String type) {
            return types == null || types.contains(type);
        }

        boolean opens(String patientId) {
            return patients == null || patients.contains(patientId);
        }
    }

    /** Whether the caller may write a resource of {@code type} filed under {@code patientId} (null: shared). */
    public boolean mayWrite(String type, String patientId) {
        if (unrestricted) {
            return true;
        }
        if (patientId == null) {
            return writableSharedTypes.contains(type);
        }
        return grants.stream()
                .anyMatch(g -> g.writable()
                        && g.opens(patientId)
                        && g.allowsType(type)
                        && !g.readOnlyTypes().contains(type));
    }

    /** Whether the caller may see at least part of this patient's record. */
    public boolean opens(String patientId) {
        return unrestricted || grants.stream().anyMatch(g -> g.opens(patientId));
    }
}
