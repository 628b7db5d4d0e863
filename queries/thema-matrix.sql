-- id: thema-matrix
-- titel: Thema's per proeftuin: status en toewijzing
-- definitie: Elke proeftuin tegen elk thema uit de themalijst (algemeen en specifiek): de status van het thema in het laatste jaar dat de actuele themas-levering van de proeftuin voor dat thema noemt (leeg als de proeftuin het thema niet meldt), en of de factsheet het thema aan de proeftuin toewijst (specifieke opdracht).
-- eenheid: thema's
-- teller: -
-- noemer: -
-- bron: themas.thema, themas.status, themas.jaar, ref_themas.label, ref_themas.soort, ref_thema_toewijzing.thema
-- soort: tabel
--
-- Alle proeftuinen uit de referentielijst (binnen tranche/proeftuinen), ook zonder themas-levering, maal
-- alle thema's in de volgorde van data/reference/themas.csv (rowid van ref_themas). Noemt de levering
-- hetzelfde thema in hetzelfde laatste jaar met twee statussen, dan telt de verste (afgerond, dan lopend,
-- dan gepland). Geen periodefilter: de levering beschrijft de stand op haar peildatum.
WITH gekozen AS (
    SELECT p.code AS proeftuin
    FROM ref_proeftuinen p
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
gemeld AS (
    SELECT proeftuin, thema, status, jaar
    FROM (
        SELECT t.proeftuin, t.thema, t.status, t.jaar,
               row_number() OVER (PARTITION BY t.proeftuin, t.thema
                                  ORDER BY t.jaar DESC,
                                           list_position(['afgerond', 'lopend', 'gepland'], t.status) NULLS LAST,
                                           t.status) AS nr
        FROM themas_actueel t
    ) WHERE nr = 1
),
toegewezen AS (
    SELECT DISTINCT proeftuin, thema FROM ref_thema_toewijzing
)
SELECT g.proeftuin,
       r.code AS thema,
       r.label,
       r.soort,
       m.status,
       m.jaar,
       w.thema IS NOT NULL AS toegewezen
FROM gekozen g
CROSS JOIN ref_themas r
LEFT JOIN gemeld m ON m.proeftuin = g.proeftuin AND m.thema = r.code
LEFT JOIN toegewezen w ON w.proeftuin = g.proeftuin AND w.thema = r.code
ORDER BY g.proeftuin, r.rowid;
