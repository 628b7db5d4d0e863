-- id: themas-per-proeftuin
-- titel: Thema's per proeftuin
-- definitie: De thema's met status en jaar uit de actuele themas-levering van elke proeftuin, met de omschrijving en soort (algemeen of specifiek) uit de themalijst.
-- eenheid: thema's
-- teller: -
-- noemer: -
-- bron: themas.thema, themas.status, themas.jaar, ref_themas.label, ref_themas.soort
-- soort: tabel
--
-- Geen periodefilter: de levering beschrijft de stand op haar peildatum.
SELECT t.proeftuin,
       t.thema,
       r.label,
       r.soort,
       t.status,
       t.jaar
FROM themas_actueel t
JOIN ref_proeftuinen p ON p.code = t.proeftuin
LEFT JOIN ref_themas r ON r.code = t.thema
WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
ORDER BY t.proeftuin, t.thema, t.jaar, t.status;
