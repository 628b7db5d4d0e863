-- id: leidraad-check
-- titel: Samenstelling van het veiligheidsteam volgens de Leidraad
-- definitie: Per proeftuin en eis van de Leidraad tweede tranche (RvdK, VT, GI, jurist, gedragswetenschapper, vertrouwensarts, ervaringsdeskundige): of er op de peildatum van de actuele teamleden-levering minstens één actieve positie is met de organisatie van de eis (als die is ingevuld) en de rol van de eis (als die is ingevuld), en hoeveel. Een proeftuin zonder teamleden-levering voldoet aan geen eis (aanwezig onwaar, posities 0, peildatum leeg).
-- eenheid: posities
-- teller: -
-- noemer: -
-- bron: ref_rvt_eisen.organisatie, ref_rvt_eisen.rol, ref_rvt_eisen.verplicht, teamleden.organisatie, teamleden.rol, teamleden.datum_start, teamleden.datum_einde, leveringen.peildatum
-- soort: tabel
--
-- Actief op de peildatum: datum_start <= peildatum en (datum_einde leeg of >= peildatum), zoals team-fte.
-- De kolom verplicht is 'ja' of 'waar_mogelijk' (vertrouwensarts), uit data/reference/rvt_eisen.csv.
-- Alle proeftuinen uit de referentielijst (binnen tranche/proeftuinen), ook zonder levering; de eisen in
-- de volgorde van rvt_eisen.csv (rowid van ref_rvt_eisen, geladen in bestandsvolgorde). Geen periodefilter.
WITH gekozen AS (
    SELECT p.code AS proeftuin, a.levering_id, a.peildatum
    FROM ref_proeftuinen p
    LEFT JOIN actuele_leveringen a ON a.proeftuin = p.code AND a.soort = 'teamleden'
    WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
      AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
),
actief AS (
    SELECT t.*
    FROM teamleden t
    JOIN gekozen g ON g.levering_id = t.levering_id
    WHERE t.datum_start <= g.peildatum
      AND (t.datum_einde IS NULL OR t.datum_einde >= g.peildatum)
)
SELECT g.proeftuin,
       e.code AS eis,
       e.label,
       e.verplicht,
       count(t.proeftuin) > 0 AS aanwezig,
       CAST(count(t.proeftuin) AS INTEGER) AS posities,
       g.peildatum
FROM gekozen g
CROSS JOIN ref_rvt_eisen e
LEFT JOIN actief t
       ON t.proeftuin = g.proeftuin
      AND (nullif(e.organisatie, '') IS NULL OR t.organisatie = e.organisatie)
      AND (nullif(e.rol, '') IS NULL OR t.rol = e.rol)
GROUP BY g.proeftuin, e.rowid, e.code, e.label, e.verplicht, g.peildatum
ORDER BY g.proeftuin, e.rowid;
