package org.carnet.record;

import java.util.Set;

/**
 * Who writes a unit: what they may see and change, and the Practitioner ids they are (for the rules that only an
 * author may apply, such as replacing or deleting a document).
 *
 * @param visibility what the writer may see and change; a change outside it is refused as unknown (404)
 * @param practitionerIds the Practitioner resources the writer is, empty for anyone else
 */
public record WriteScope(Visibility visibility, Set<String> practitionerIds) {

    /** The platform's own work and trusted systems: they see everything and act for the producers. */
    public static final WriteScope TRUSTED = new WriteScope(Visibility.UNRESTRICTED, Set.of());

    public WriteScope {
        practitionerIds = Set.copyOf(practitionerIds);
    }
}
