package org.carnet.record;

import org.hl7.fhir.r4.model.Resource;

/** One write of a {@link RecordReads#apply} unit; all changes of one unit commit together or not at all. */
public sealed interface Change {

    String type();

    /**
     * A new resource. The vault assigns a random id unless the caller already gave it one (a transaction does,
     * to resolve {@code urn:uuid} references); the API layer clears client ids on a plain POST.
     */
    record Create(Resource resource) implements Change {
        @Override
        public String type() {
            return resource.fhirType();
        }
    }

    /**
     * A new version of the resource with the id it carries (created if that id is unknown).
     *
     * @param expectedVersion the version the client last saw ({@code If-Match}); null when unconditional
     */
    record Update(
            Resource resource,
            @org.jspecify.annotations.Nullable Integer expectedVersion) implements Change {
        @Override
        public String type() {
            return resource.fhirType();
        }
    }

    /** A logical delete: a new, empty version; history keeps the earlier ones. */
    record Delete(String type, String id) implements Change {}
}
