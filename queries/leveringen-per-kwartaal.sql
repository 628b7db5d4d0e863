-- id: leveringen-per-kwartaal
-- titel: Ontvangen leveringen per kwartaal
-- definitie: Aantal ontvangen leveringen per proeftuin, periode (kwartaal van de levering) en soort, met hoeveel daarvan zijn geaccepteerd en hoeveel afgewezen, uit het leveringenlogboek; verwijderde leveringen tellen niet mee.
-- eenheid: leveringen
-- teller: geaccepteerd: leveringen met status geaccepteerd; afgewezen: leveringen met status afgewezen
-- noemer: ontvangen: alle leveringen in het logboek behalve status verwijderd
-- bron: leveringen.proeftuin, leveringen.periode, leveringen.soort, leveringen.status, leveringen.peildatum
-- soort: tabel
--
-- kwartaal = leveringen.periode (de periode waarover geleverd is, niet de ontvangstdatum).
-- Periodefilter op de peildatum (laatste dag van de periode). Een bestand waarvan proeftuin of
-- periode niet te bepalen was, staat zonder proeftuin in het logboek en valt hier buiten.
-- Een vervangende levering voor dezelfde periode telt als extra ontvangen levering.
SELECT l.proeftuin,
       l.periode AS kwartaal,
       l.soort,
       CAST(count(*) AS INTEGER) AS ontvangen,
       CAST(count(*) FILTER (WHERE l.status = 'geaccepteerd') AS INTEGER) AS geaccepteerd,
       CAST(count(*) FILTER (WHERE l.status = 'afgewezen') AS INTEGER) AS afgewezen
FROM leveringen l
JOIN ref_proeftuinen p ON p.code = l.proeftuin
WHERE l.status IS DISTINCT FROM 'verwijderd'
  AND ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], p.code))
  AND ($van::DATE IS NULL OR l.peildatum >= $van::DATE)
  AND ($tot::DATE IS NULL OR l.peildatum <= $tot::DATE)
GROUP BY l.proeftuin, l.periode, l.soort
ORDER BY l.proeftuin, kwartaal, l.soort;
