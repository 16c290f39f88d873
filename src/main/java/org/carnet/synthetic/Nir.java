package org.carnet.synthetic;

import org.carnet.identity.Ins;

/** Appends the NIR key to generated bodies; the key rule itself is the identity module's ({@link Ins#key}). */
final class Nir {

    private Nir() {}

    static String key(String body) {
        return Ins.key(body);
    }

    static String withKey(String body) {
        return body + key(body);
    }
}
