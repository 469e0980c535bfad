// The 现场评分 tab is the host console (主控台): one page runs the event day. See HostConsole.tsx.
export { HostConsole as LiveTab } from './HostConsole.tsx';
