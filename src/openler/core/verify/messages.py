"""Plain-language messages for every verification code, in English and Spanish.

These are the words a learner or an employer reads (DESIGN.md, "The user's
side"): what happened, not how it was computed. Technical detail stays in a
check's separate ``detail`` field. Codes are stable; add a code here before
any check emits it (a test enforces this). The web layer may route these
through Babel catalogs; the core keeps this table so the CLI and tests need
no locale files.
"""

from __future__ import annotations

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"

# code -> (English, Spanish)
CATALOG: dict[str, tuple[str, str]] = {
    # well_formed
    "format.ok": ("Complete and readable", "Completo y legible"),
    "format.invalid": ("Not a correctly formed credential",
                       "No es una credencial con un formato correcto"),
    "format.invalid_presentation": ("Not a correctly formed presentation",
                                    "No es una presentación con un formato correcto"),
    # schema
    "schema.ok": ("Contains all the required information",
                  "Contiene toda la información requerida"),
    "schema.invalid": ("Some required information is missing or in the wrong form",
                       "Falta información requerida o tiene una forma incorrecta"),
    "schema.not_applicable": ("No format rules apply to this kind of record",
                              "No hay reglas de formato para este tipo de registro"),
    # proof
    "proof.valid": ("Not changed since it was issued", "Sin cambios desde su emisión"),
    "proof.presentation_valid": ("Not changed since it was shared",
                                 "Sin cambios desde que se compartió"),
    "proof.changed": ("Changed after it was issued", "Cambiado después de su emisión"),
    "proof.missing": ("Not signed", "No está firmado"),
    "proof.unsigned_data": ("Contains information that the issuer's signature does not cover",
                            "Contiene información que la firma del emisor no cubre"),
    "proof.invalid": ("The signature is damaged or incomplete",
                      "La firma está dañada o incompleta"),
    "proof.wrong_purpose": ("The signature was made for a different use",
                            "La firma se hizo para otro uso"),
    "proof.expired": ("The signature is no longer valid", "La firma ya no es válida"),
    "proof.unsupported": ("Signed in a way this verifier cannot check",
                          "Firmado de una forma que este verificador no puede comprobar"),
    "proof.cannot_check": ("Could not check the signature", "No se pudo comprobar la firma"),
    "sdjwt.unknown_disclosure": ("Contains details the issuer did not sign",
                                 "Contiene datos que el emisor no firmó"),
    "sdjwt.duplicate_digest": ("The issuer's data repeats an entry, so it cannot be trusted",
                               "Los datos del emisor repiten una entrada y no son fiables"),
    "sdjwt.duplicate_disclosure": ("The same detail was shared twice",
                                   "Se compartió el mismo dato dos veces"),
    "sdjwt.duplicate_claim": ("A shared detail conflicts with one the issuer signed",
                              "Un dato compartido contradice uno firmado por el emisor"),
    "sdjwt.malformed_disclosure": ("A shared detail is damaged", "Un dato compartido está dañado"),
    "sdjwt.unsupported_alg": ("Signed in a way this verifier cannot check",
                              "Firmado de una forma que este verificador no puede comprobar"),
    # issuer_key
    "issuer.key_controlled": ("Signed with a key that belongs to the issuer",
                              "Firmado con una clave que pertenece al emisor"),
    "issuer.key_not_controlled": ("Signed with a key that does not belong to the issuer",
                                  "Firmado con una clave que no pertenece al emisor"),
    "issuer.unresolvable": ("Could not reach the issuer to confirm their key",
                            "No se pudo contactar al emisor para confirmar su clave"),
    # status
    "status.active": ("Not revoked or suspended", "No ha sido revocado ni suspendido"),
    "status.none": ("The issuer does not publish revocations for this record",
                    "El emisor no publica revocaciones para este registro"),
    "status.revoked": ("Revoked by the issuer", "Revocado por el emisor"),
    "status.suspended": ("Suspended by the issuer", "Suspendido por el emisor"),
    "status.unreachable": ("Could not check whether it was revoked",
                           "No se pudo comprobar si fue revocado"),
    "status.unsupported": ("Uses a revocation list this verifier cannot read",
                           "Usa una lista de revocación que este verificador no puede leer"),
    "status.invalid": ("Could not read the issuer's revocation list",
                       "No se pudo leer la lista de revocación del emisor"),
    # validity_period
    "validity.ok": ("Still valid", "Todavía válido"),
    "validity.expired": ("Expired", "Caducado"),
    "validity.not_yet_valid": ("Not valid yet", "Todavía no es válido"),
    # holder_binding
    "holder.ok": ("Shared by the person it was issued to",
                  "Compartido por la persona a quien se emitió"),
    "holder.mismatch": ("Shared by someone other than the person it was issued to",
                        "Compartido por alguien distinto de la persona a quien se emitió"),
    "holder.subject_has_no_id": (
        "Does not name who it was issued to, so the person sharing it cannot be compared",
        "No indica a quién se emitió, así que no se puede comparar con quien lo comparte"),
    "holder.not_presented": ("Not shared through a presentation, so there is no one to compare",
                             "No se compartió en una presentación, no hay con quién comparar"),
    "holder.unknown": ("Does not say who is sharing it", "No indica quién lo comparte"),
    "holder.unresolvable": ("Could not confirm the key of the person sharing it",
                            "No se pudo confirmar la clave de quien lo comparte"),
    "holder.key_not_controlled": ("Signed by someone other than the person sharing it",
                                  "Firmado por alguien distinto de quien lo comparte"),
    "holder.key_binding_missing": ("The person sharing it did not prove it is theirs",
                                   "Quien lo comparte no demostró que es suyo"),
    "holder.key_binding_invalid": ("The proof that it belongs to the person sharing it is not valid",
                                   "La prueba de que pertenece a quien lo comparte no es válida"),
    "presentation.challenge_mismatch": ("Made for a different request",
                                        "Hecho para otra solicitud"),
    "presentation.domain_mismatch": ("Made for a different website or verifier",
                                     "Hecho para otro sitio web o verificador"),
    "presentation.audience_mismatch": ("Made for a different website or verifier",
                                       "Hecho para otro sitio web o verificador"),
    "presentation.stale": ("Made for an earlier request and sent again",
                           "Hecho para una solicitud anterior y enviado de nuevo"),
    # credentials inside a presentation
    "credentials.ok": ("Every included record checks out",
                       "Todos los registros incluidos son correctos"),
    "credentials.failed": ("At least one included record did not check out",
                           "Al menos un registro incluido no es correcto"),
    "credentials.could_not_check": ("At least one included record could not be fully checked",
                                    "Al menos un registro incluido no se pudo comprobar del todo"),
    "credentials.none": ("No records were included", "No se incluyó ningún registro"),
    # general
    "check.not_run": ("Not checked because of an earlier problem",
                      "No se comprobó por un problema anterior"),
}

STATUS_WORDS: dict[str, tuple[str, str]] = {
    "passed": ("Passed", "Correcto"),
    "failed": ("Failed", "Fallido"),
    "skipped": ("Not checked", "No comprobado"),
    "could_not_check": ("Could not check", "No se pudo comprobar"),
    "verified": ("Verified", "Verificado"),
    "not_verified": ("Not verified", "No verificado"),
    "incomplete": ("Could not be fully checked", "No se pudo comprobar del todo"),
}

CHECK_TITLES: dict[str, tuple[str, str]] = {
    "well_formed": ("Format", "Formato"),
    "schema": ("Required information", "Información requerida"),
    "proof": ("Signature", "Firma"),
    "issuer_key": ("Issuer", "Emisor"),
    "status": ("Revocation", "Revocación"),
    "validity_period": ("Dates", "Fechas"),
    "holder_binding": ("Holder", "Titular"),
    "credentials": ("Included records", "Registros incluidos"),
}


def _pick(entry: tuple[str, str], language: str) -> str:
    return entry[LANGUAGES.index(language)] if language in LANGUAGES else entry[0]


def message(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The plain-language sentence for ``code``; KeyError for a code not in the catalog."""
    return _pick(CATALOG[code], language)


def status_word(status: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Localised word for a check status or an overall outcome."""
    return _pick(STATUS_WORDS[status], language)


def check_title(name: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Localised heading for a check name."""
    return _pick(CHECK_TITLES.get(name, (name, name)), language)
