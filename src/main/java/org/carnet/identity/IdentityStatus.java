package org.carnet.identity;

/**
 * The identity status of the national identity-vigilance rules (RNIV), from two independent checks: was the
 * INS retrieved or verified through INSi, and were the traits checked against a high-trust identity document?
 */
public enum IdentityStatus {
    /** Provisional: neither check. */
    PROV,
    /** Retrieved: INSi only. */
    RECUP,
    /** Validated: identity document only. */
    VALI,
    /** Qualified: both; the only status that may share the matricule INS. */
    QUAL;

    public static IdentityStatus of(boolean insiChecked, boolean documentChecked) {
        if (insiChecked) {
            return documentChecked ? QUAL : RECUP;
        }
        return documentChecked ? VALI : PROV;
    }

    /** Only a qualified identity may carry its matricule INS outside Carnet (documents, messages, exports). */
    public boolean sharesMatricule() {
        return this == QUAL;
    }
}
