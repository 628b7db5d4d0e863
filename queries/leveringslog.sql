-- id: leveringslog
-- titel: Leveringslogboek
-- definitie: Elke ontvangen levering uit het leveringenlogboek, de nieuwste eerst: proeftuin, soort, periode, bestandsnaam, datum van ontvangst, tijdstip van verwerking, aantal rijen, status (geaccepteerd, afgewezen, verwijderd), aantal fouten en waarschuwingen, en of de levering de geldende is voor haar proeftuin, soort en periode.
-- eenheid: leveringen
-- teller: -
-- noemer: -
-- bron: leveringen.levering_id, leveringen.proeftuin, leveringen.soort, leveringen.periode, leveringen.bestandsnaam, leveringen.ontvangen, leveringen.verwerkt_op, leveringen.rijen, leveringen.status, leveringen.aantal_fouten, leveringen.aantal_waarschuwingen, leveringen.in_gebruik, leveringen.peildatum
-- soort: tabel
--
-- Geen casusgegevens. Een bestand waarvan proeftuin of periode niet te bepalen was, staat zonder proeftuin
-- in het logboek: het staat in deze tabel zolang er niet op tranche of proeftuin wordt gefilterd, en valt
-- buiten de periodefilter (die werkt op de peildatum, de laatste dag van de periode van de levering).
-- Een ongewijzigd opnieuw aangeboden bestand wordt niet opnieuw gelogd. Het foutenrapport van een levering
-- met fouten of waarschuwingen staat in de tabel foutrapporten van dezelfde snapshot.
SELECT l.levering_id,
       l.proeftuin,
       l.soort,
       l.periode,
       l.bestandsnaam,
       l.ontvangen,
       l.verwerkt_op,
       l.rijen,
       l.status,
       l.aantal_fouten,
       l.aantal_waarschuwingen,
       coalesce(l.in_gebruik, false) AS in_gebruik
FROM leveringen l
LEFT JOIN ref_proeftuinen p ON p.code = l.proeftuin
WHERE ($tranche::INTEGER IS NULL OR p.tranche = $tranche::INTEGER)
  AND (len($proeftuinen::VARCHAR[]) = 0 OR list_contains($proeftuinen::VARCHAR[], l.proeftuin))
  AND ($van::DATE IS NULL OR l.peildatum >= $van::DATE)
  AND ($tot::DATE IS NULL OR l.peildatum <= $tot::DATE)
ORDER BY l.levering_id DESC;
