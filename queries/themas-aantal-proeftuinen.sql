-- id: themas-aantal-proeftuinen
-- titel: Aantal proeftuinen per thema
-- definitie: Per thema uit de themalijst het aantal gekozen proeftuinen dat het thema in zijn actuele themas-levering meldt, naar de status in het laatste gemelde jaar (lopend, gepland, afgerond) en in totaal, en het aantal gekozen proeftuinen waaraan de factsheet het thema toewijst.
-- eenheid: proeftuinen
-- teller: proeftuinen met die status voor het thema (zoals in thema-matrix)
-- noemer: -
-- bron: themas.thema, themas.status, themas.jaar, ref_themas.label, ref_themas.soort, ref_thema_toewijzing.thema
-- soort: figuur
--
-- Telt proeftuinen, geen casussen. Status per proeftuin en thema zoals thema-matrix: het laatste jaar,
-- bij twee statussen in dat jaar de verste. proeftuinen_totaal = lopend + gepland + afgerond.
-- Elk thema krijgt een rij, ook met 0, in de volgorde van data/reference/themas.csv. Geen periodefilter.
WITH gekozen AS (
    SELECT p.code AS proeftuin
    FROM ref_proeftuinen p
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
gemeld AS (
    SELECT proeftuin, thema, status
    FROM (
        SELECT t.proeftuin, t.thema, t.status,
               row_number() OVER (PARTITION BY t.proeftuin, t.thema
                                  ORDER BY t.jaar DESC,
                                           list_position(['afgerond', 'lopend', 'gepland'], t.status) NULLS LAST,
                                           t.status) AS nr
        FROM themas_actueel t
        JOIN gekozen g ON g.proeftuin = t.proeftuin
    ) WHERE nr = 1
),
per_thema AS (
    SELECT thema,
           count(*) FILTER (WHERE status = 'lopend') AS lopend,
           count(*) FILTER (WHERE status = 'gepland') AS gepland,
           count(*) FILTER (WHERE status = 'afgerond') AS afgerond,
           count(*) AS totaal
    FROM gemeld
    GROUP BY thema
),
toegewezen AS (
    SELECT w.thema, count(DISTINCT w.proeftuin) AS toegewezen
    FROM ref_thema_toewijzing w
    JOIN gekozen g ON g.proeftuin = w.proeftuin
    GROUP BY w.thema
)
SELECT r.code AS thema,
       r.label,
       r.soort,
       CAST(coalesce(t.lopend, 0) AS INTEGER) AS proeftuinen_lopend,
       CAST(coalesce(t.gepland, 0) AS INTEGER) AS proeftuinen_gepland,
       CAST(coalesce(t.afgerond, 0) AS INTEGER) AS proeftuinen_afgerond,
       CAST(coalesce(t.totaal, 0) AS INTEGER) AS proeftuinen_totaal,
       CAST(coalesce(w.toegewezen, 0) AS INTEGER) AS proeftuinen_toegewezen
FROM ref_themas r
LEFT JOIN per_thema t ON t.thema = r.code
LEFT JOIN toegewezen w ON w.thema = r.code
ORDER BY r.rowid;
