package org.carnet.document;

import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The key store of the envelope encryption: one key per patient (a key-encryption key), which wraps the random key
 * of each blob. Pluggable: the default keeps keys in files wrapped by a master key; a deployment may put them in an
 * HSM or a KMS. Thread-safe.
 *
 * <p>Security semantics: {@link #destroy} must make the key unrecoverable (crypto-shredding); it is how a patient's
 * contents are erased at closure.
 */
interface PatientKeys {

    /** The patient's key, created on first use. */
    SecretKey keyOf(String patientId);

    /** The patient's key if it exists (never creates one). */
    Optional<SecretKey> existingKeyOf(String patientId);

    /** Destroys the patient's key for good. */
    void destroy(String patientId);
}
