import { setupSwitch } from './ui/i18n.js';

const TEXTS = {
  ja: {
    title: 'レシートキャンペーンシステム',
    lead: 'レシートを撮影して応募するキャンペーンを、ブランドごとに安全に運営できます。',
    hint: 'キャンペーンページのURLは、各ブランドからご案内しています。',
  },
  en: {
    title: 'Receipt campaign platform',
    lead: 'Run purchase-with-receipt campaigns for each brand, safely and separately.',
    hint: 'Each brand tells you the address of its campaign page.',
  },
};

setupSwitch(TEXTS);
