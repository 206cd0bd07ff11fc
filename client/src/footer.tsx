/**
 * @module client/footer
 * Data attribution that must travel with the data (ODbL for OpenStreetMap, CC BY 4.0 for the
 * Birmingham parking series), in the current language.
 * Owns: the attribution line. Does not: decide licences (data/README and importers do).
 */
import { useI18n } from './i18n.ts';

export const OSM_COPYRIGHT_URL = 'https://www.openstreetmap.org/copyright';

export function Footer() {
  const { t } = useI18n();
  return (
    <footer class="attribution" data-testid="attribution" aria-label={t('dataSources')}>
      <p>
        <a href={OSM_COPYRIGHT_URL} target="_blank" rel="noopener noreferrer">{t('attrOsm')}</a>
      </p>
      <p>{t('attrParking')}</p>
    </footer>
  );
}
