/**
 * Patient identity as the French rules define it: the INS (matricule and OID) as a value type that cannot
 * hold an invalid value, and the rules every stored Patient's identifiers obey.
 */
@org.springframework.modulith.ApplicationModule(
        displayName = "Identity",
        allowedDependencies = {"record"})
@org.jspecify.annotations.NullMarked
package org.carnet.identity;
