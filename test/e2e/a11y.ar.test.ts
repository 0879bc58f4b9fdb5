import { accessibilitySuite } from './a11ySuite';

accessibilitySuite('ar', 'rtl');
