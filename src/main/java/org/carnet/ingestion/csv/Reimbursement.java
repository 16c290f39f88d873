package org.carnet.ingestion.csv;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;
import java.util.regex.Pattern;
import org.carnet.identity.Ins;

/**
 * One line of the insurer's reimbursement history, typed: one component per column of the file, in its order.
 *
 * @param nir column {@code nir}: the insured person's matricule, 15 characters with a valid key (the file does not
 *     say under which register, so it stays a string)
 * @param careDate column {@code date_soins}: the date of care
 * @param actCode column {@code code_acte}: the billed act's code (NGAP letter key or CCAM code)
 * @param label column {@code libelle}: the act's label; {@code null} when the column is empty
 * @param billed column {@code montant}: the amount billed, in euros, two decimals
 * @param reimbursed column {@code montant_rembourse}: the amount the insurer reimbursed, in euros, two decimals
 * @param idNatPs column {@code idnat_ps}: the IdNat_PS of the professional who performed the act; {@code null} when
 *     unknown
 */
record Reimbursement(
        String nir,
        LocalDate careDate,
        String actCode,
        @org.jspecify.annotations.Nullable String label,
        BigDecimal billed,
        BigDecimal reimbursed,
        @org.jspecify.annotations.Nullable String idNatPs) {

    /** IdNat_PS as the file carries it: {@code 8} and the 11-digit RPPS, or {@code 0} and the 9-digit ADELI. */
    static final Pattern ID_NAT_PS = Pattern.compile("8\\d{11}|0\\d{9}");

    public Reimbursement {
        nir = Ins.parse(nir, Ins.Kind.NIR).matricule();
        Objects.requireNonNull(careDate, "careDate");
        if (actCode == null || actCode.isBlank()) {
            throw new IllegalArgumentException("a reimbursement needs the act's code");
        }
        billed = euros(billed, "billed");
        reimbursed = euros(reimbursed, "reimbursed");
        if (idNatPs != null && !ID_NAT_PS.matcher(idNatPs).matches()) {
            throw new IllegalArgumentException("'" + idNatPs + "' is not an IdNat_PS");
        }
    }

    private static BigDecimal euros(BigDecimal amount, String name) {
        Objects.requireNonNull(amount, name);
        if (amount.stripTrailingZeros().scale() > 2) {
            throw new IllegalArgumentException(name + " has more than two decimals: " + amount);
        }
        return amount.setScale(2);
    }
}
