/**
 * The audit trail: every read, search, write, consent change, emergency access and sign-in as an AuditEvent (IHE
 * BALP shape), hash-chained per patient so that a changed or removed entry is detected; the holder's trail in plain
 * French; and the notifications that follow emergency access and a professional's first access.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Audit",
        allowedDependencies = {"access", "record"})
@org.jspecify.annotations.NullMarked
package org.carnet.audit;
