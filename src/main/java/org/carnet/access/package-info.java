/**
 * Who is asking and what they may see: sign-in (OIDC tokens from citizen, professional and staff issuers), the
 * holder's rules (médecin traitant, care team, authorisations, blocks, refused emergency modes) and the access
 * decision that turns them into a {@link org.carnet.record.Visibility} the record store compiles into its queries.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Access",
        allowedDependencies = {"database", "identity", "record"})
@org.jspecify.annotations.NullMarked
package org.carnet.access;
