-- id: team-fte
-- titel: Bezetting van de teams naar organisatie en rol
-- definitie: Som van de fte en aantal posities per proeftuin, organisatie en rol, over de posities uit de actuele teamleden-levering van de proeftuin die op de peildatum van die levering actief zijn (datum_start op of voor de peildatum, datum_einde leeg of op of na de peildatum).
-- eenheid: fte
-- teller: -
-- noemer: -
-- bron: teamleden.organisatie, teamleden.rol, teamleden.fte, teamleden.datum_start, teamleden.datum_einde, leveringen.peildatum
-- soort: tabel
--
-- De som van de fte is afgerond op 3 decimalen (voorkomt 0.9000000000000001 bij 0.5 + 0.4).
-- Het aantal posities telt rijen, niet verschillende personen.
SELECT t.proeftuin,
       t.organisatie,
       t.rol,
       round(sum(t.fte), 3) AS fte,
       CAST(count(*) AS INTEGER) AS posities
FROM teamleden_actueel t
JOIN actuele_leveringen a ON a.levering_id = t.levering_id AND a.soort = 'teamleden'
JOIN ref_proeftuinen p ON p.code = t.proeftuin
WHERE t.datum_start <= a.peildatum
  AND (t.datum_einde IS NULL OR t.datum_einde >= a.peildatum)
  AND ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
GROUP BY t.proeftuin, t.organisatie, t.rol
ORDER BY t.proeftuin, t.organisatie, t.rol;
