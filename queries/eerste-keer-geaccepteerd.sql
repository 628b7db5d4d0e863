-- id: eerste-keer-geaccepteerd
-- titel: Leveringen in één keer goed
-- definitie: Per proeftuin het percentage van de leveringen (verschillende combinaties van soort en periode waarvoor iets is ontvangen: casussen, teamleden en themas) waarvan het eerst ontvangen bestand is geaccepteerd, uit het leveringenlogboek; verwijderde leveringen tellen niet mee. Bij 0 leveringen is de waarde leeg.
-- eenheid: %
-- teller: eerste_keer_goed: combinaties van soort en periode waarvan de eerst ontvangen levering de status geaccepteerd heeft
-- noemer: leveringen: combinaties van soort en periode met minstens één ontvangen levering (geaccepteerd of afgewezen)
-- bron: leveringen.proeftuin, leveringen.soort, leveringen.periode, leveringen.peildatum, leveringen.ontvangen, leveringen.levering_id, leveringen.status
-- soort: tabel
--
-- Eerst ontvangen: de laagste ontvangstdatum, bij gelijke datum het laagste levering_id (volgorde van inlezen).
-- Een ongewijzigd opnieuw aangeboden bestand wordt niet opnieuw gelogd en telt dus niet.
-- Periodefilter op de peildatum (laatste dag van de periode van de levering), zoals leveringen-per-kwartaal.
-- Alle proeftuinen uit de referentielijst binnen tranche/proeftuinen, ook zonder levering (0 en leeg).
-- waarde = 100 * teller / noemer, 1 decimaal, half van nul af, exact: (2000 * t + n) // (2 * n) / 10.
WITH gekozen AS (
    SELECT p.code AS proeftuin
    FROM ref_proeftuinen p
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
eerste AS (
    SELECT proeftuin, soort, periode, status
    FROM (
        SELECT l.proeftuin, l.soort, l.periode, l.status,
               row_number() OVER (PARTITION BY l.proeftuin, l.soort, l.periode
                                  ORDER BY l.ontvangen, l.levering_id) AS nr
        FROM leveringen l
        JOIN gekozen g ON g.proeftuin = l.proeftuin
        WHERE l.status IN ('geaccepteerd', 'afgewezen')
          AND ($van::DATE IS NULL OR l.peildatum >= $van::DATE)
          AND ($tot::DATE IS NULL OR l.peildatum <= $tot::DATE)
    ) WHERE nr = 1
),
telling AS (
    SELECT g.proeftuin,
           CAST(count(e.status) AS INTEGER) AS leveringen,
           CAST(count(e.status) FILTER (WHERE e.status = 'geaccepteerd') AS INTEGER) AS eerste_keer_goed
    FROM gekozen g
    LEFT JOIN eerste e ON e.proeftuin = g.proeftuin
    GROUP BY g.proeftuin
)
SELECT proeftuin,
       leveringen,
       eerste_keer_goed,
       CASE WHEN leveringen > 0
            THEN ((2000 * CAST(eerste_keer_goed AS BIGINT) + leveringen) // (2 * CAST(leveringen AS BIGINT))) / 10
       END AS waarde
FROM telling
ORDER BY proeftuin;
