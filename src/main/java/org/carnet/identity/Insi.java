package org.carnet.identity;

/**
 * The INSi teleservice as a port: the three queries a care system makes to the national identity service.
 * Carnet ships one adapter, {@link ReferenceRegistryInsi}, backed by a reference identity registry an operator
 * loads from a file; an adapter for the real service implements this same interface (see docs/insi.md).
 *
 * <p>Contract: implementations are thread-safe; they never throw for "no identity" (that is answer
 * {@link InsiAnswer.Code#NONE}); they throw {@link InsiUnavailableException} when the service cannot be reached.
 * Callers must never send a doubtful ({@code DOUT}) or fictitious ({@code FICT}) identity: {@link Identities}
 * enforces that before calling. Implementations must not log the traits or the matricule they receive.
 */
public interface Insi {

    /** Retrieval by the strict traits (birth name, first names, sex, birth date, optionally birthplace). */
    InsiAnswer retrieveByTraits(InsiTraits traits);

    /** Retrieval with a carte Vitale: the card's NIR (the insured person's) plus the beneficiary's traits. */
    InsiAnswer retrieveByCard(String cardNir, InsiTraits beneficiary);

    /** Verification that a matricule INS and its traits belong together: {@code 00} yes, {@code 01} no. */
    InsiAnswer verify(Ins ins, InsiTraits traits);
}
